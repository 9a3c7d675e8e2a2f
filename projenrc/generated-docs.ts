/*
 * Renders the reference sections of the docs from the code they describe, so the docs cannot
 * drift: `npx projen docs` rewrites them, and a test fails when one is stale.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NagReport, SUPPRESSED } from '../lib/compliance/nag-report';
import { AiOpsApp } from '../lib/facade/ai-ops-app';
import { PriceCatalog, TokenPrices } from '../lib/pricing';
import { CardinalityScope, RejectionReason, TelemetryDimensionSets, TelemetryFields, TelemetryMetrics } from '../lib/telemetry';

const BEGIN = '<!-- BEGIN GENERATED: npx projen docs -->';
const END = '<!-- END GENERATED -->';

const SCOPE_SYMBOL: Record<CardinalityScope, string> = {
  [CardinalityScope.CLIENT]: '1',
  [CardinalityScope.AGENT]: 'A',
  [CardinalityScope.ROUTE]: 'R',
  [CardinalityScope.MODEL]: 'M',
  [CardinalityScope.AGENT_MODEL]: 'P',
  [CardinalityScope.SESSION_AGENT]: 'S',
  [CardinalityScope.RETRIEVAL_AGENT]: 'Q',
  [CardinalityScope.AGENT_TOOL]: 'T',
  [CardinalityScope.REJECTION_REASON]: 'J',
  [CardinalityScope.ROUTE_EVALUATOR]: 'E',
  [CardinalityScope.AGENT_MODEL_EVALUATOR]: 'V',
};

const code = (name: string) => `\`${name}\``;

function telemetryTables(): string[] {
  const sets = TelemetryDimensionSets.all();
  const lines: string[] = [];

  lines.push('### Metrics', '', '| metric (record key) | unit | meaning | dimension sets | OpenTelemetry GenAI |', '|---|---|---|---|---|');
  for (const metric of TelemetryMetrics.all()) {
    const inSets = sets.filter((set) => set.metrics.includes(metric)).map((set) => set.id).join(', ');
    lines.push(`| ${code(metric.name)} | ${metric.unit} | ${metric.description} | ${inSets} | ${metric.otelAttribute ? code(metric.otelAttribute) : '—'} |`);
  }

  lines.push('', '### Other record fields', '', '| field | dimension | meaning | OpenTelemetry GenAI |', '|---|---|---|---|');
  for (const field of TelemetryFields.all()) {
    lines.push(`| ${code(field.name)} | ${field.dimension ? 'yes' : 'no'} | ${field.description} | ${field.otelAttribute ? code(field.otelAttribute) : '—'} |`);
  }

  lines.push('', '### Dimension sets', '', '| set | record | dimensions | metrics | series |', '|---|---|---|---|---|');
  for (const set of sets) {
    const dims = set.dimensions.length ? set.dimensions.map(code).join(', ') : '(none: client-wide)';
    lines.push(`| ${set.id} | ${set.recordType} | ${dims} | ${set.metrics.length} | ${set.metrics.length} x ${SCOPE_SYMBOL[set.scope]} |`);
  }

  const terms = sets.map((set) => (SCOPE_SYMBOL[set.scope] === '1' ? `${set.metrics.length}` : `${set.metrics.length}·${SCOPE_SYMBOL[set.scope]}`));
  lines.push('', '### Custom-metric count', '', `**custom metrics = ${terms.join(' + ')}**`, '',
    'A = agents, R = (agent, route) pairs, M = models, P = (agent, model) pairs in use, S = agents that record sessions,',
    'Q = agents that record retrievals, T = (agent, tool) pairs, E = (agent, route, evaluator) triples and V = (agent, model, evaluator) triples that record evaluations,',
    `J = rejection reasons seen (at most ${Object.values(RejectionReason).length}). Tenants and variants do not appear; evaluators count only through E and V.`);
  return lines;
}

function priceTable(): string[] {
  const money = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(value < 0.1 ? 3 : 2));
  const row = (p: TokenPrices) => `${money(p.input)} | ${money(p.output)} | ${money(p.cacheRead)} | ${money(p.cacheWrite5m)} | ${money(p.cacheWrite1h)}`;
  const lines = [
    '| model | vendor | from | input | output | cache read | cache write 5 min | cache write 1 h | long context | retirement | source |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const price of PriceCatalog.builtIn().prices()) {
    const longContext = price.longContext
      ? `above ${price.longContext.aboveInputTokens.toLocaleString('en-US')} input tokens: ${row(price.longContext.prices).split(' | ').join(' / ')}`
      : '—';
    const successor = price.successor ? ` (successor: ${code(price.successor)})` : '';
    const retirement = `${price.deprecationDate ?? price.deprecationNote ?? '—'}${successor}`;
    lines.push(`| ${price.displayName} (${code(price.modelId)}) | ${price.vendor} | ${price.effectiveFrom} | ${row(price.prices)} | ${longContext} | ${retirement} | ${price.source} |`);
  }
  return lines;
}

/** Packs in the order the doc lists them. */
const PACK_ORDER = ['AwsSolutions', 'Serverless', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];
const LISTED_RESOURCES = 4;

/**
 * Every acknowledgement of the example client (clients/example.yaml, all packs), per pack: the
 * finding, where, and the reason, read from the reports the packs write at synthesis (the
 * bundles must exist: `npx projen bundle`).
 */
function acknowledgementTables(): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-compliance-doc-'));
  const app = new AiOpsApp({ projectRoot: path.join(__dirname, '..'), outdir, context: { client: 'example' } });
  const stackName = app.stacks[0].stackName;
  const log = console.error;
  console.error = () => undefined; // the validation summary table
  try {
    app.synth();
  } finally {
    console.error = log;
  }
  // finding -> reason -> resources, per pack
  const byPack = new Map<string, Map<string, Map<string, string[]>>>();
  for (const file of fs.readdirSync(outdir).filter((f) => f.endsWith('-NagReport.json')).sort()) {
    const pack = PACK_ORDER.find((name) => file.startsWith(`${name}-`))!;
    const report = JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8')) as NagReport;
    for (const line of report.lines.filter((l) => l.compliance === SUPPRESSED)) {
      const findings = byPack.get(pack) ?? byPack.set(pack, new Map()).get(pack)!;
      const reasons = findings.get(line.ruleId) ?? findings.set(line.ruleId, new Map()).get(line.ruleId)!;
      const resources = reasons.get(line.exceptionReason) ?? reasons.set(line.exceptionReason, []).get(line.exceptionReason)!;
      resources.push(line.resourceId.slice(`${stackName}/`.length).replace(/\/Resource$/, ''));
    }
  }
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines: string[] = [];
  for (const pack of PACK_ORDER.filter((name) => byPack.has(name))) {
    lines.push(`### ${pack}`, '', '| finding | where (under `example-ai-ops/`) | reason |', '|---|---|---|');
    for (const [ruleId, reasons] of [...byPack.get(pack)!].sort(([a], [b]) => a.localeCompare(b))) {
      for (const [reason, resources] of reasons) {
        const sorted = [...resources].sort();
        const where = sorted.length <= LISTED_RESOURCES ? sorted.map(code).join(', ')
          : `${sorted.length} resources: ${sorted.slice(0, 2).map(code).join(', ')} and ${sorted.length - 2} more`;
        lines.push(`| ${code(cell(ruleId))} | ${where} | ${cell(reason)} |`);
      }
    }
    lines.push('');
  }
  lines.pop();
  return lines;
}

/** Each generated doc and the renderer of its section. */
export const GENERATED_DOCS: Record<string, () => string[]> = {
  'docs/telemetry.md': telemetryTables,
  'docs/pricing.md': priceTable,
  'docs/compliance.md': acknowledgementTables,
};

/** The doc with its generated section replaced by the current rendering. */
export function renderedDoc(file: string, current: string): string {
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file}: the markers ${BEGIN} ... ${END} are missing; add them where the generated section goes`);
  return current.slice(0, start) + [BEGIN, ...GENERATED_DOCS[file](), END].join('\n') + current.slice(end + END.length);
}

if (require.main === module) {
  for (const file of Object.keys(GENERATED_DOCS)) {
    fs.writeFileSync(file, renderedDoc(file, fs.readFileSync(file, 'utf8')));
  }
}
