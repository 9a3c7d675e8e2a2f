/*
 * `cdk-ai-ops/testing`: what a platform team needs to snapshot and assert its own clients.
 * Outside the jsii surface (it returns plain JSON and aws-cdk-lib/assertions objects).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { decodeAlarmMetadata } from '../common/alarm-metadata';
import { NagChecks } from '../compliance/nag-checks';
import { ClientConfig, ClientConfigLoader } from '../config';
import { AiOpsApp } from '../facade/ai-ops-app';
import { AiOpsStack } from '../facade/ai-ops-stack';

/** Options of `synthesizeClient`. */
export interface SynthesizeClientOptions {
  /**
   * Apply cdk-nag's AwsSolutions and Serverless packs and the client's `compliance` packs, as
   * `AiOpsApp` does: synthesis reports an unacknowledged finding (and sets a failing exit code).
   * @default false
   */
  readonly nagPacks?: boolean;
}

/** A client's stack, synthesized into a temporary folder. */
export interface SynthesizedClient {
  readonly config: ClientConfig;
  readonly app: App;
  readonly stack: AiOpsStack;
  /** The root stack's template, for `hasResourceProperties`, `resourceCountIs` and friends. */
  readonly template: Template;
  /** The root stack and every nested stack (one per agent), by construct path. */
  readonly templates: Record<string, Template>;
}

/**
 * Loads a client config (a YAML file, or a config built with `ClientConfigLoader`) and builds its
 * stack as `AiOpsApp` does, in a temporary output folder so parallel tests never share a cdk.out.
 * A bad config throws the loader's error, naming the file, line, JSON path and fix.
 */
export function synthesizeClient(source: string | ClientConfig, options: SynthesizeClientOptions = {}): SynthesizedClient {
  const config = typeof source === 'string' ? ClientConfigLoader.fromFile(source) : source;
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-testing-')) });
  const stack = new AiOpsStack(app, AiOpsStack.stackNameFor(config.clientId), { config });
  if (options.nagPacks) new NagChecks(stack, AiOpsApp.NAG_CHECKS, { compliance: config.compliance });
  app.synth();
  const templates = Object.fromEntries(stacksUnder(stack).map((s) => [s.node.path, Template.fromStack(s)]));
  return { config, app, stack, template: templates[stack.node.path], templates };
}

/** A stack and every nested stack under it, root first. */
export function stacksUnder(stack: Stack): Stack[] {
  return [stack, ...stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack)];
}

const ASSET_HASH = /[a-f0-9]{64}/g;
/** Mappings aws-cdk-lib keeps per region, which change with aws-cdk-lib, not with the config. */
const VOLATILE_MAPPINGS = /^(LatestNodeRuntimeMap|AWSCDKPartitionMap|.*RegionMap)/;

/**
 * A template with what changes without a change of the config replaced: asset hashes (64 hex
 * digits: bundled handlers, nested template URLs) become `<asset-hash>` and the per-region maps
 * aws-cdk-lib keeps for runtimes and partitions become `<runtime map>`. Snapshots of it change
 * when the config or the library's output changes, not when a handler is rebuilt.
 */
export function normalizeTemplate(template: Record<string, any>): Record<string, any> {
  const copy = JSON.parse(JSON.stringify(template).replace(ASSET_HASH, '<asset-hash>'));
  for (const name of Object.keys(copy.Mappings ?? {})) {
    if (VOLATILE_MAPPINGS.test(name)) copy.Mappings[name] = '<runtime map>';
  }
  return copy;
}

/** The root stack and every nested stack, normalized (`normalizeTemplate`), by construct path: one snapshot per client. */
export function stableTemplates(stack: Stack): Record<string, Record<string, any>> {
  return Object.fromEntries(stacksUnder(stack).map((s) => [s.node.path, normalizeTemplate(Template.fromStack(s).toJSON())]));
}

/** One alarm of a client's stack, as a test sees it. */
export interface AlarmSummary {
  readonly alarmName: string;
  /** The alarm kind (e.g. `latency-p95`, `agent-down`). */
  readonly kind: string;
  /** `P1`, `P2` or `P3`. */
  readonly severity: string;
  /** `AWS::CloudWatch::Alarm` or `AWS::CloudWatch::CompositeAlarm`. */
  readonly type: string;
  /** The construct path of the (nested) stack holding it. */
  readonly stackPath: string;
  readonly logicalId: string;
  /** The alarm's properties as synthesized. */
  readonly properties: Record<string, any>;
}

/** Renders `Fn::Join` and pseudo-parameter `Ref`s to text (`${AWS::Region}`), enough to read a description. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(text).join('');
  if (value && typeof value === 'object') {
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(text).join(join[0]);
    const ref = (value as { Ref?: string }).Ref;
    if (ref) return `\${${ref}}`;
  }
  return '';
}

/**
 * Every alarm and composite alarm of the stack and its nested stacks, with its kind and severity
 * read from the alarm's metadata line (what the PagerDuty forwarder reads), sorted by name. Every
 * alarm the library builds carries the line; one added by hand without it shows as `unknown`.
 */
export function alarmsOf(stack: Stack): AlarmSummary[] {
  const alarms: AlarmSummary[] = [];
  for (const s of stacksUnder(stack)) {
    const resources = Template.fromStack(s).toJSON().Resources ?? {};
    for (const [logicalId, resource] of Object.entries<any>(resources)) {
      if (resource.Type !== 'AWS::CloudWatch::Alarm' && resource.Type !== 'AWS::CloudWatch::CompositeAlarm') continue;
      const description = text(resource.Properties?.AlarmDescription);
      const alarmName = text(resource.Properties?.AlarmName);
      const metadata = decodeAlarmMetadata(description);
      alarms.push({
        alarmName,
        kind: metadata?.kind ?? 'unknown',
        severity: metadata?.severity ?? 'unknown',
        type: resource.Type,
        stackPath: s.node.path,
        logicalId,
        properties: resource.Properties ?? {},
      });
    }
  }
  return alarms.sort((a, b) => a.alarmName.localeCompare(b.alarmName));
}

/** `alarmsOf` grouped by kind, then severity: `{ 'latency-p95': { P2: ['acme-answer-draft-reply-latency-p95'] } }`. */
export function alarmNamesByKindAndSeverity(stack: Stack): Record<string, Record<string, string[]>> {
  const grouped: Record<string, Record<string, string[]>> = {};
  for (const alarm of alarmsOf(stack)) {
    ((grouped[alarm.kind] ??= {})[alarm.severity] ??= []).push(alarm.alarmName);
  }
  return grouped;
}
