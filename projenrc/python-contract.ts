/*
 * Renders python/cdk_ai_ops_telemetry/contract.py from the telemetry contract and the built-in
 * price catalog, so the Python helper never types a metric name or a price of its own:
 * `npx projen python:contract` rewrites it, and a test fails when it is stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PriceCatalog } from '../lib/pricing';
import {
  CallOutcome, RecordType, RejectionReason, TelemetryContract, TelemetryDimensionSets, TelemetryFields, TelemetryMetrics,
} from '../lib/telemetry';

export const PYTHON_CONTRACT_FILE = path.join(__dirname, '..', 'python', 'cdk_ai_ops_telemetry', 'contract.py');

const py = (value: unknown): string => JSON.stringify(value ?? null, null, 0).replace(/\bnull\b/g, 'None').replace(/\btrue\b/g, 'True').replace(/\bfalse\b/g, 'False');
const constName = (key: string) => key;

export function renderPythonContract(): string {
  const metrics = Object.entries(TelemetryMetrics).filter(([, m]) => typeof m === 'object' && m && 'unit' in m);
  const fields = Object.entries(TelemetryFields).filter(([, f]) => typeof f === 'object' && f && 'dimension' in f);
  const sets = Object.entries(TelemetryDimensionSets).filter(([, s]) => typeof s === 'object' && s && 'dimensions' in s);
  const lines = [
    '"""The telemetry contract and built-in prices, generated from lib/telemetry/contract.ts and lib/pricing/catalog.ts.',
    '',
    'Do not edit: run `npx projen python:contract` (a test fails when this file is stale).',
    '"""',
    '# fmt: off',
    '',
    `DEFAULT_NAMESPACE = ${py(TelemetryContract.DEFAULT_NAMESPACE)}`,
    `SCHEMA_VERSION = ${py(TelemetryContract.SCHEMA_VERSION)}`,
    '',
    '# Metric constant -> (name, unit)',
    'class M:',
    ...metrics.map(([key, m]) => `    ${constName(key)} = (${py((m as { name: string }).name)}, ${py((m as { unit: string }).unit)})`),
    '',
    '# Record field constant -> name',
    'class F:',
    ...fields.map(([key, f]) => `    ${constName(key)} = ${py((f as { name: string }).name)}`),
    '',
    '# Dimension set constant -> dimension names, in order',
    'class D:',
    ...sets.map(([key, s]) => `    ${constName(key)} = ${py((s as { dimensions: string[] }).dimensions)}`),
    '',
    `RECORD_TYPES = ${py(Object.fromEntries(Object.entries(RecordType)))}`,
    `OUTCOMES = ${py(Object.fromEntries(Object.entries(CallOutcome)))}`,
    `REJECTION_REASONS = ${py(Object.fromEntries(Object.entries(RejectionReason)))}`,
    '',
    '# Dimension sets of a model call, in the order they are written',
    `CALL_DIMENSION_SETS = ${py(TelemetryDimensionSets.forRecord(RecordType.AI_CALL).map((s) => s.dimensions))}`,
    '',
    '# Effective-dated list prices, USD per million tokens',
    `PRICES = ${py(PriceCatalog.builtIn().prices().map((p) => ({ vendor: p.vendor, modelId: p.modelId, effectiveFrom: p.effectiveFrom, prices: p.prices, longContext: p.longContext ?? null })))}`,
    '',
  ];
  return lines.join('\n');
}

if (require.main === module) {
  fs.writeFileSync(PYTHON_CONTRACT_FILE, renderPythonContract());
  console.log(`wrote ${path.relative(process.cwd(), PYTHON_CONTRACT_FILE)}`);
}
