/*
 * `cdk-ai-ops compare`: reads the two results files, takes the margin and the route's objectives
 * from the options (and the client config), and writes the regression brief.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { CliUsageError, Options } from './options';
import { ROLLOUT_DEFAULTS } from '../config/defaults';
import { ClientConfigLoader } from '../config/loader';
import {
  Comparison, compareResults, CompareInputError, CompareSettings, pairResults, parseResults, ParsedResults, renderBrief,
} from '../rollout/compare';
import { TelemetryFields as F, TelemetryMetrics as M } from '../telemetry/contract';

/** `--route <agent>/<route>` is named after the contract's route field. */
const ROUTE_OPTION = F.ROUTE.name;

export const COMPARE_OPTIONS = ['baseline', 'candidate', 'config', ROUTE_OPTION, 'margin', 'monthly-calls', 'out'];

export const COMPARE_USAGE = `Usage: cdk-ai-ops compare --baseline <jsonl> --candidate <jsonl>
                          [--config <client.yaml> --route <agent>/<route>] [--margin <points>]
                          [--monthly-calls <n>] [--out <file.md>]

Compares paired results (recorded shadow pairs, or an offline run over a test set) and writes a
Markdown regression brief: accuracy per evaluator with a paired test and 95% interval, a
non-inferiority verdict, latency p50/p95/p99, cost per call, output format; go / no-go / inconclusive.

Each file has one JSON object per line (.gz files are unpacked), paired on id (or requestId, pairId):
  {"id":"r1","scores":{"faithful":true,"helpfulness":0.82},"${M.LATENCY_MS.name}":840,"${M.INPUT_TOKENS.name}":900,
   "${M.OUTPUT_TOKENS.name}":210,"${M.COST_USD.name}":0.0041,"format":{"jsonValid":true,"schemaValid":true,"length":812,"refusal":false}}
Scores: true/false for a pass/fail evaluator, 0 to 1 for a scored one. Every field but the id is optional.

  --baseline <file>       results of the variant serving now
  --candidate <file>      results of the variant under test
  --config <file>         the client config; with --route, the route's accuracy evaluators decide
  --route <agent/route>   (others are informational) and its latency objectives are checked
  --margin <points>       non-inferiority margin, percentage points (default: the route's rollout.nonInferiorityMarginPoints, else ${ROLLOUT_DEFAULTS.nonInferiorityMarginPoints})
  --monthly-calls <n>     calls per month for the projected monthly cost delta
  --out <file>            write the brief there (default: standard output)

Exit code: 0 go, 1 no-go or inconclusive, 2 on a usage or input mistake.`;

function readResults(file: string): ParsedResults {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CompareInputError(file, undefined, '', code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a results file' : String((error as Error).message));
  }
  let text: string;
  try {
    text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch {
    throw new CompareInputError(file, undefined, '', 'not a gzip file (the name ends in .gz)');
  }
  return parseResults(text, file);
}

function positiveNumber(options: Options, name: string, integer: boolean): number | undefined {
  const text = options.value(name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new CliUsageError(`--${name} ${text}: expected a positive ${integer ? 'whole number' : 'number'}`);
  }
  return value;
}

/** The route's objectives, when --config and --route are given. */
function routeSettings(options: Options): Partial<CompareSettings> {
  const file = options.value('config');
  const routeId = options.value(ROUTE_OPTION);
  if (!file && !routeId) return {};
  if (!file || !routeId) throw new CliUsageError('--config and --route go together: the route is looked up in the config');
  const [agentId, routeName, ...extra] = routeId.split('/');
  if (!agentId || !routeName || extra.length > 0) throw new CliUsageError(`--route ${routeId}: expected <agent>/<route>, e.g. support/answer`);
  const config = ClientConfigLoader.fromFile(file);
  const agent = config.agents.find((a) => a.id === agentId);
  if (!agent) throw new CliUsageError(`--route ${routeId}: no agent '${agentId}' in ${file} (agents: ${config.agents.map((a) => a.id).join(', ')})`);
  const route = agent.routes.find((r) => r.id === routeName);
  if (!route) throw new CliUsageError(`--route ${routeId}: agent '${agentId}' has no route '${routeName}' (routes: ${agent.routes.map((r) => r.id).join(', ')})`);
  const latency = route.slo.latency;
  return {
    route: routeId,
    objectiveEvaluators: route.slo.accuracy?.evaluators.map((e) => e.id),
    latencyObjectiveMs: { p50: latency.p50Ms, p95: latency.p95Ms, p99: latency.p99Ms },
    ...(route.rollout?.nonInferiorityMarginPoints !== undefined ? { marginPoints: route.rollout.nonInferiorityMarginPoints } : {}),
  };
}

export interface CompareCommandResult {
  readonly comparison: Comparison;
  readonly brief: string;
  /** Where the brief was written; none: it is to be printed. */
  readonly outFile?: string;
}

/**
 * Runs `compare` with its parsed options.
 * @throws CliUsageError, CompareInputError or ClientConfigError on a user mistake
 */
export function compareCommand(options: Options): CompareCommandResult {
  const route = routeSettings(options);
  const settings: CompareSettings = {
    ...route,
    // --margin wins over the route's rollout.nonInferiorityMarginPoints, which wins over the default.
    marginPoints: positiveNumber(options, 'margin', false) ?? route.marginPoints ?? ROLLOUT_DEFAULTS.nonInferiorityMarginPoints,
    monthlyCalls: positiveNumber(options, 'monthly-calls', true),
  };
  if (settings.marginPoints >= 100) throw new CliUsageError(`--margin ${settings.marginPoints}: expected percentage points below 100`);
  const baseline = readResults(options.required('baseline'));
  const candidate = readResults(options.required('candidate'));
  const comparison = compareResults(baseline, candidate, pairResults(baseline, candidate), settings);
  const brief = renderBrief(comparison);
  const outFile = options.value('out');
  if (outFile) {
    fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
    fs.writeFileSync(outFile, brief);
  }
  return { comparison, brief, outFile };
}
