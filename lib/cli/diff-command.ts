/*
 * `cdk-ai-ops diff`: what a change of configs (or of the cdk-ai-ops version) does to each client's
 * stacks, offline. Both sides are synthesized here (or read from a previous cdk.out) and every
 * template is compared, nested stacks included, with the CDK CLI's own differ
 * (@aws-cdk/cloudformation-diff): resource by resource, property by property, replacements from
 * the CloudFormation resource specification, IAM statement tables.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatDifferences, formatSecurityChanges, fullDiff, ResourceImpact, TemplateDiff } from '@aws-cdk/cloudformation-diff';
import { AssemblyTemplates, PATH_METADATA_CONTEXT, readAssembly, TemplateEntry } from './assembly';
import { CliUsageError } from './options';
import { AiOpsApp } from '../facade/ai-ops-app';
import { ALL_CLIENTS, CLIENT_CONTEXT, CLIENTS_DIR_CONTEXT, clientIdsIn } from '../facade/client-selection';

export const DIFF_USAGE = `Usage: cdk-ai-ops diff [-c client=<id>|all] [-c clientsDir=<folder>] [--against <git ref>|<cdk.out folder>]

Synthesizes the clients' stacks as they are now and as they were (the configs of clientsDir at the
git ref, built with this cdk-ai-ops version; or the templates of a previous cdk.out folder, e.g.
one built with an older cdk-ai-ops version), then compares every template, nested stacks included,
in the format of cdk diff. Replaced and destroyed resources (an alarm replaced loses its history)
and IAM changes are named in the summary. No AWS credentials are used.

  -c client=<id>|all    the client (default: example), or every clients/<id>.yaml
  -c clientsDir=<dir>   where the configs are (default: clients)
  --against <ref|dir>   the other side (default: HEAD)

Exit code: 0 when nothing changed, 1 when something changed, 2 on a usage or config mistake.`;

/** One template's comparison. */
export interface TemplateComparison {
  readonly key: string;
  readonly label: string;
  readonly diff: TemplateDiff;
}

/** What changed in one template that a reviewer must not miss. */
export interface NotableChanges {
  /** `<label>/<logical id> (<type>)` of resources replaced or possibly replaced. */
  readonly replaced: string[];
  /** Resources destroyed (removed from the template). */
  readonly destroyed: string[];
  readonly created: string[];
  /**
   * Per stack and resource type, resources destroyed while as many of the type are created under
   * other ids (a renamed agent or route): replacements too, e.g. `acme-ai-ops: 34 AWS::CloudWatch::Alarm`.
   */
  readonly replacedUnderNewIds: string[];
  readonly updated: number;
  /** Labels of templates whose IAM statements or policies change. */
  readonly iamChanged: string[];
}

/** Compares two assemblies stack by stack and template by template; unchanged templates are left out. */
export function compareAssemblies(before: AssemblyTemplates, after: AssemblyTemplates): TemplateComparison[] {
  const comparisons: TemplateComparison[] = [];
  const stackNames = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const stackName of stackNames) {
    const old = before.get(stackName)?.templates ?? new Map<string, TemplateEntry>();
    const now = after.get(stackName)?.templates ?? new Map<string, TemplateEntry>();
    // The root first, then nested stacks by key.
    const keys = [...new Set([...old.keys(), ...now.keys()])].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
    for (const key of keys) {
      const diff = fullDiff(old.get(key)?.template ?? {}, now.get(key)?.template ?? {});
      if (diff.isEmpty) continue;
      comparisons.push({ key, label: (now.get(key) ?? old.get(key))!.label, diff });
    }
  }
  return comparisons;
}

/** The replacements, destructions, creations and IAM changes of a set of comparisons. */
export function notableChanges(comparisons: TemplateComparison[]): NotableChanges {
  const replaced: string[] = [];
  const destroyed: string[] = [];
  const created: string[] = [];
  const iamChanged: string[] = [];
  let updated = 0;
  // stack -> type -> [destroyed, created]
  const byType = new Map<string, Map<string, [number, number]>>();
  const count = (key: string, type: string | undefined, index: 0 | 1) => {
    const stack = key.split('/')[0];
    const types = byType.get(stack) ?? new Map<string, [number, number]>();
    byType.set(stack, types);
    const counts = types.get(type ?? 'unknown') ?? [0, 0];
    counts[index]++;
    types.set(type ?? 'unknown', counts);
  };
  for (const { key, label, diff } of comparisons) {
    if (diff.permissionsAnyChanges) iamChanged.push(label);
    diff.resources.forEachDifference((logicalId, change) => {
      const name = `${label}/${logicalId} (${change.resourceType})`;
      if (change.isAddition) {
        created.push(name);
        count(key, change.resourceType, 1);
      } else if (change.isRemoval) {
        destroyed.push(name);
        count(key, change.resourceType, 0);
      } else if (change.changeImpact === ResourceImpact.WILL_REPLACE || change.changeImpact === ResourceImpact.MAY_REPLACE) {
        replaced.push(name);
      } else if (change.isDifferent) {
        updated++;
      }
    });
  }
  const replacedUnderNewIds = [...byType].flatMap(([stack, types]) => [...types]
    .filter(([, [gone, made]]) => gone > 0 && made > 0)
    .map(([type, [gone, made]]) => `${stack}: ${Math.min(gone, made)} ${type}`));
  return { replaced, destroyed, created, replacedUnderNewIds, updated, iamChanged };
}

/** The report in the format of `cdk diff`, with a summary naming replacements, destructions and IAM changes. */
export function formatComparisons(comparisons: TemplateComparison[]): string {
  if (comparisons.length === 0) return 'There were no differences\n';
  const chunks: string[] = [];
  const stream = Object.assign(Object.create(process.stdout) as NodeJS.WritableStream, {
    columns: 120,
    write: (chunk: unknown) => {
      chunks.push(String(chunk));
      return true;
    },
  });
  for (const { label, diff } of comparisons) {
    chunks.push(`Stack ${label}\n`);
    formatSecurityChanges(stream, diff);
    formatDifferences(stream, diff);
    chunks.push('\n');
  }
  const notable = notableChanges(comparisons);
  const list = (items: string[]) => items.map((item) => `  ${item}\n`).join('');
  chunks.push(`Summary: ${comparisons.length} template(s) changed; ${notable.created.length} resource(s) created, ${notable.updated} updated in place, `
    + `${notable.replaced.length} replaced, ${notable.destroyed.length} destroyed.\n`);
  if (notable.replaced.length > 0) {
    chunks.push(`Replaced (a new physical resource: an alarm loses its history, a log group or bucket its data):\n${list(notable.replaced)}`);
  }
  if (notable.replacedUnderNewIds.length > 0) {
    chunks.push('Replaced under new ids (destroyed, and as many created under other ids, e.g. a renamed agent or route: '
      + `an alarm loses its history, a dashboard its links):\n${list(notable.replacedUnderNewIds)}`);
  }
  if (notable.destroyed.length > 0) chunks.push(`Destroyed:\n${list(notable.destroyed)}`);
  if (notable.iamChanged.length > 0) chunks.push(`IAM changes (review the statement tables above):\n${list(notable.iamChanged)}`);
  return chunks.join('');
}

/** Adds one `-c key=value` (client or clientsDir) to `context`. */
export function addContextArg(flag: string, value: string | undefined, context: Record<string, string>): void {
  const match = /^([A-Za-z][\w-]*)=(.+)$/.exec(value ?? '');
  if (!match) throw new CliUsageError(`${flag} needs key=value (e.g. -c client=acme), found '${value ?? ''}'`);
  if (match[1] !== CLIENT_CONTEXT && match[1] !== CLIENTS_DIR_CONTEXT) {
    throw new CliUsageError(`unknown context key '${match[1]}' (known: ${CLIENT_CONTEXT}, ${CLIENTS_DIR_CONTEXT})`);
  }
  if (context[match[1]] !== undefined) throw new CliUsageError(`-c ${match[1]} given twice`);
  context[match[1]] = match[2];
}

/** Parses `-c key=value` / `--context key=value` and `--against <x>`. */
export function parseDiffArgs(args: string[]): { context: Record<string, string>; against: string } {
  const context: Record<string, string> = {};
  let against: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg === '-c' || arg === '--context') {
      addContextArg(arg, value, context);
    } else if (arg === '--against') {
      if (value === undefined || value.startsWith('-')) throw new CliUsageError('--against needs a git ref or a cdk.out folder');
      if (against !== undefined) throw new CliUsageError('--against given twice');
      against = value;
    } else {
      throw new CliUsageError(`unexpected argument '${arg}'`);
    }
    i++;
  }
  return { context, against: against ?? 'HEAD' };
}

/** Synthesizes the clients of `context` from `clientsDir` into a new temporary folder, without cdk-nag. */
function synthesize(projectRoot: string, context: Record<string, string>, clientsDir: string): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-diff-'));
  const app = new AiOpsApp({
    outdir, projectRoot, nagPacks: false, context: { ...PATH_METADATA_CONTEXT, ...context, [CLIENTS_DIR_CONTEXT]: clientsDir },
  });
  app.synth();
  return outdir;
}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new CliUsageError(`git ${args.join(' ')} failed in ${cwd}: ${stderr || String(error)}`);
  }
}

/** The configs of `clientsDir` as they were at `ref`, written to a temporary folder (empty when the folder did not exist). */
export function clientsAtRef(clientsDir: string, ref: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-clients-at-'));
  const root = git(fs.existsSync(clientsDir) ? clientsDir : process.cwd(), ['rev-parse', '--show-toplevel']).trim();
  git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  const prefix = path.relative(root, clientsDir).split(path.sep).join('/');
  const listed = git(root, ['ls-tree', '--name-only', ref, '--', `${prefix}/`]).split('\n').filter((file) => file.endsWith('.yaml'));
  for (const file of listed) {
    fs.writeFileSync(path.join(dir, path.posix.basename(file)), git(root, ['show', `${ref}:${file}`]));
  }
  return dir;
}

/** What `diff` found. */
export interface DiffResult {
  readonly comparisons: TemplateComparison[];
  /** The cloud assembly of the configs as they are now (a later `--against` for the next change). */
  readonly outdir: string;
  readonly report: string;
}

/** Runs the comparison the arguments describe. */
export function diffCommand(args: string[], projectRoot: string = process.cwd()): DiffResult {
  const { context, against } = parseDiffArgs(args);
  const clientsDir = path.resolve(projectRoot, context[CLIENTS_DIR_CONTEXT] ?? 'clients');
  const outdir = synthesize(projectRoot, context, clientsDir);
  const after = readAssembly(outdir);

  let before: AssemblyTemplates;
  const againstDir = path.resolve(projectRoot, against);
  if (fs.existsSync(againstDir) && fs.statSync(againstDir).isDirectory()) {
    before = readAssembly(againstDir);
    const wanted = new Set(after.keys());
    // A folder of every client compared with one client: only that client's stack.
    if (context[CLIENT_CONTEXT] !== ALL_CLIENTS) before = new Map([...before].filter(([name]) => wanted.has(name)));
  } else {
    const oldClients = clientsAtRef(clientsDir, against);
    const client = context[CLIENT_CONTEXT] ?? 'example';
    const present = client === ALL_CLIENTS ? clientIdsIn(oldClients).length > 0 : clientIdsIn(oldClients).includes(client);
    before = present ? readAssembly(synthesize(projectRoot, context, oldClients)) : new Map();
  }
  const comparisons = compareAssemblies(before, after);
  return { comparisons, outdir, report: formatComparisons(comparisons) };
}
