/*
 * `cdk-ai-ops audit`: the audit pack of one client, from its synthesized templates. The client is
 * synthesized here, under the cdk-nag packs the app applies (a rule result of every pack is
 * recorded as cdk-nag's JSON report), then read back from the cloud assembly like any cdk.out.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { artifactMetadata, PATH_METADATA_CONTEXT, readAssembly, stackArtifacts } from './assembly';
import { addContextArg } from './diff-command';
import { PACKAGE_ROOT } from './init-command';
import { CliUsageError } from './options';
import { acknowledgementsFromMetadata, acknowledgementsFromTemplates, buildAuditModel } from '../audit/build';
import { AuditModel, AuditTemplate, NagReport } from '../audit/model';
import { renderAuditHtml, renderAuditJson, renderAuditMarkdown } from '../audit/render';
import { NAG_REPORT_SUFFIX } from '../compliance/nag-report';
import { ClientConfig } from '../config/types';
import { AiOpsApp } from '../facade/ai-ops-app';
import { ALL_CLIENTS, CLIENT_CONTEXT, CLIENTS_DIR_CONTEXT } from '../facade/client-selection';
import { MonitoringCostReport } from '../facade/monitoring-cost-report';
import { MonitoringCostEstimate } from '../pricing/monitoring-cost';

export const AUDIT_USAGE = `Usage: cdk-ai-ops audit [-c client=<id>] [-c clientsDir=<folder>] [--out <folder>]

Synthesizes the client's stacks (as cdk synth does, under the cdk-nag packs the app applies) and
writes its audit pack: every resource by construct path and purpose, every IAM role and policy
statement, every message that leaves the account with the exact fields sent, the encryption and
retention of every data store, the cdk-nag results with each acknowledgement and its reason, and
the monitoring cost. No AWS credentials are used.

  -c client=<id>        the client (default: example); one client per pack
  -c clientsDir=<dir>   where the configs are (default: clients)
  --out <folder>        where audit.md, audit.html and audit.json go (default: cdk.out/audit-<id>)`;

/** The files of the pack, in the order written. */
export const AUDIT_FILES = ['audit.md', 'audit.html', 'audit.json'] as const;

/** Parses `-c key=value` and `--out <folder>`. */
export function parseAuditArgs(args: string[]): { context: Record<string, string>; out?: string } {
  const context: Record<string, string> = {};
  let out: string | undefined;
  for (let i = 0; i < args.length; i += 2) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg === '-c' || arg === '--context') {
      addContextArg(arg, value, context);
    } else if (arg === '--out') {
      if (value === undefined || value.startsWith('-')) throw new CliUsageError('--out needs a folder');
      if (out !== undefined) throw new CliUsageError('--out given twice');
      out = value;
    } else {
      throw new CliUsageError(`unexpected argument '${arg}'`);
    }
  }
  if (context[CLIENT_CONTEXT] === ALL_CLIENTS) throw new CliUsageError(`-c ${CLIENT_CONTEXT}=${ALL_CLIENTS}: an audit pack is per client; name one client`);
  return { context, ...(out !== undefined ? { out } : {}) };
}

function libraryVersion(): string {
  try {
    return String(JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version);
  } catch {
    return 'unknown';
  }
}

/**
 * The cdk-nag reports of a cloud assembly (every folder of it), as `NagChecks` writes them:
 * `<pack>-<stack>-NagReport.json`, a nested stack's named by its unique id and counted with the
 * deployed stack of its folder.
 */
export function readNagReports(dir: string): NagReport[] {
  const reports: NagReport[] = [];
  const artifacts = stackArtifacts(dir);
  for (const folder of [...new Set(artifacts.map((s) => s.assemblyDir))]) {
    const stacks = artifacts.filter((s) => s.assemblyDir === folder);
    for (const file of fs.readdirSync(folder).filter((name) => name.endsWith(NAG_REPORT_SUFFIX)).sort()) {
      // Pack names hold no '-' (AwsSolutions, NIST.800.53.R5, ...); stack names may.
      const [pack, ...rest] = file.slice(0, -NAG_REPORT_SUFFIX.length).split('-');
      const stackId = rest.join('-');
      const stack = stacks.find((s) => s.id === stackId) ?? (stacks.length === 1 ? stacks[0] : undefined);
      const parsed = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8'));
      if (!Array.isArray(parsed?.lines)) throw new CliUsageError(`${path.join(folder, file)}: not a cdk-nag JSON report (no "lines" list)`);
      reports.push({ pack, stack: stack?.artifact.properties?.stackName ?? stack?.id ?? stackId, lines: parsed.lines });
    }
  }
  return reports;
}

/** The audit model of a client's cloud assembly: its templates, acknowledgements, cdk-nag reports and monitoring cost. */
export function auditModelOfAssembly(assemblyDir: string, config: ClientConfig, now: Date): AuditModel {
  const templates: AuditTemplate[] = [...readAssembly(assemblyDir).values()].flatMap((stack) => [...stack.templates].map(([key, entry]) => ({
    key, stackName: stack.stackName, label: entry.label, template: entry.template, ...(entry.parent ? { parent: entry.parent } : {}),
  })));
  const costFile = stackArtifacts(assemblyDir).map((s) => path.join(s.assemblyDir, MonitoringCostReport.fileName(config.clientId)))
    .find((file) => fs.existsSync(file));
  return buildAuditModel({
    config,
    templates,
    acknowledgements: [
      ...stackArtifacts(assemblyDir).flatMap((artifact) => acknowledgementsFromMetadata(artifactMetadata(artifact))),
      ...acknowledgementsFromTemplates(templates),
    ],
    nagReports: readNagReports(assemblyDir),
    ...(costFile ? { monitoringCost: JSON.parse(fs.readFileSync(costFile, 'utf8')) as MonitoringCostEstimate } : {}),
    generatedAt: now.toISOString(),
    libraryVersion: libraryVersion(),
  });
}

/** What `audit` produced. */
export interface AuditResult {
  readonly model: AuditModel;
  readonly outDir: string;
  readonly files: string[];
  /** The cloud assembly it was read from (deleted unless kept). */
  readonly assemblyDir: string;
}

/** How `auditCommand` runs, beyond its arguments. */
export interface AuditCommandOptions {
  readonly projectRoot?: string;
  readonly now?: Date;
  /** Keep the synthesized cloud assembly (its folder is `assemblyDir`) rather than delete it. */
  readonly keepAssembly?: boolean;
}

/** Synthesizes the client and writes its audit pack. */
export function auditCommand(args: string[], options: AuditCommandOptions = {}): AuditResult {
  const projectRoot = options.projectRoot ?? process.cwd();
  const now = options.now ?? new Date();
  const { context, out } = parseAuditArgs(args);
  const clientsDir = path.resolve(projectRoot, context[CLIENTS_DIR_CONTEXT] ?? 'clients');
  const assemblyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-audit-'));
  let model: AuditModel;
  try {
    const app = new AiOpsApp({
      outdir: assemblyDir, projectRoot, context: { ...PATH_METADATA_CONTEXT, ...context, [CLIENTS_DIR_CONTEXT]: clientsDir },
    });
    // The app's NagChecks write every pack's report next to the templates.
    app.synth();
    model = auditModelOfAssembly(assemblyDir, app.configs[0], now);
  } finally {
    if (!options.keepAssembly) fs.rmSync(assemblyDir, { recursive: true, force: true });
  }

  const outDir = path.resolve(projectRoot, out ?? path.join('cdk.out', `audit-${model.clientId}`));
  fs.mkdirSync(outDir, { recursive: true });
  const bodies: Record<typeof AUDIT_FILES[number], string> = {
    'audit.md': renderAuditMarkdown(model),
    'audit.html': renderAuditHtml(model),
    'audit.json': renderAuditJson(model),
  };
  for (const file of AUDIT_FILES) fs.writeFileSync(path.join(outDir, file), bodies[file]);
  return { model, outDir, files: [...AUDIT_FILES], assemblyDir };
}
