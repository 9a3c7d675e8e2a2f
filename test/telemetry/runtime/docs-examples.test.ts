import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { RecordType, TelemetryDimensionSets, TelemetryMetrics } from '../../../lib/telemetry';
import { captureEmf, expectValidEmf, shapeOf } from '../../support/emf';
import { PROJECT_ROOT } from '../../support/example';

/**
 * The examples of docs/telemetry.md, run as written: each fenced block after an
 * `<!-- example: NAME -->` marker is saved to test/.examples/NAME.ts and loaded with
 * `cdk-ai-ops/telemetry` resolved to this repo's runtime helper.
 */
const DOC = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'telemetry.md'), 'utf8');
const EXAMPLES_DIR = path.join(PROJECT_ROOT, 'test', '.examples');

function loadExample(name: string): any {
  const match = new RegExp(`<!-- example: ${name} -->\\n\`\`\`ts\\n([\\s\\S]*?)\\n\`\`\``).exec(DOC);
  if (!match) throw new Error(`docs/telemetry.md has no example named ${name}`);
  fs.mkdirSync(EXAMPLES_DIR, { recursive: true });
  const file = path.join(EXAMPLES_DIR, `${name}.ts`);
  fs.writeFileSync(file, match[1] + '\n');
  // Loaded in this module registry, so the Bedrock client mock below applies to the example's client;
  // the file is written at test time, so a static import cannot name it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file);
}

const CALL_DIMENSIONS = TelemetryDimensionSets.forRecord(RecordType.AI_CALL).map((set) => set.dimensions);
const CALL_METRICS = TelemetryDimensionSets.CALLS_BY_ROUTE.metrics.map((m) => m.name);
const bedrock = mockClient(BedrockRuntimeClient);
const converseResponse = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'bedrock-converse.json'), 'utf8'));

afterEach(() => bedrock.reset());

describe('the examples of docs/telemetry.md run as written', () => {
  test('one call, by hand: valid EMF with exactly the contract\'s metric names and dimensions', async () => {
    const lines = await captureEmf(() => loadExample('quick'));
    expect(lines).toHaveLength(1);
    expectValidEmf(lines[0]);
    expect(shapeOf(lines[0])).toEqual({ dimensions: CALL_DIMENSIONS, metrics: CALL_METRICS });
    expect(lines[0][TelemetryMetrics.COST_USD.name]).toBeCloseTo(0.016875, 12);
  });

  test('the Lambda handler records the Bedrock call it makes', async () => {
    bedrock.on(ConverseCommand).resolves(converseResponse);
    const { handler } = loadExample('lambda');
    let reply: unknown;
    const lines = await captureEmf(async () => {
      reply = await handler({ tenantId: 'tenant-4711', conversationId: 'c-1', ticket: 'Where is my refund?' });
    });
    expect(reply).toMatch(/refund was issued/);
    expect(lines).toHaveLength(1);
    expectValidEmf(lines[0]);
    expect(shapeOf(lines[0]).dimensions).toEqual(CALL_DIMENSIONS);
    expect(lines[0]).toEqual(expect.objectContaining({ agent: 'answer', route: 'draft-reply', inputTokens: 1843, cacheReadTokens: 11200, latencyMs: expect.any(Number) }));
    expect(lines[0][TelemetryMetrics.COST_USD.name]).toBeCloseTo(0.019569, 9);
  });

  test('the evaluation example records an assertion, a judge verdict and feedback as valid EMF evaluation lines', async () => {
    const { scoreReply } = loadExample('evaluation');
    const lines = await captureEmf(() => scoreReply({ tenantId: 'tenant-1', requestId: 'r-1', reply: 'See [kb-12].', judged: { passed: false, score: 0.4 } }));
    lines.forEach(expectValidEmf);
    expect(lines.map((l) => [l.recordType, l.evaluator, l.evaluationSource, l[TelemetryMetrics.EVALUATION_PASSED.name], l.sampleWeight])).toEqual([
      [RecordType.EVALUATION, 'cites-a-source', 'assertion', 1, 1],
      [RecordType.EVALUATION, 'grounded-answer-judge', 'judge', 0, 20],
      [RecordType.EVALUATION, 'user-feedback', 'feedback', 0, 1],
    ]);
    expect(shapeOf(lines[1]).dimensions).toEqual(TelemetryDimensionSets.forRecord(RecordType.EVALUATION).map((set) => set.dimensions));
  });

  test('the container worker records a failed call as throttled and rethrows', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } });
    bedrock.on(ConverseCommand).rejects(throttled);
    const { classifyTicket } = loadExample('container');
    let caught: unknown;
    const lines = await captureEmf(async () => {
      caught = await classifyTicket({ tenantId: 'tenant-1', ticketId: 't-9', text: 'hello' }).catch((e: unknown) => e);
    });
    expect((caught as Error).name).toBe('ThrottlingException');
    expect(lines).toHaveLength(1);
    expectValidEmf(lines[0]);
    expect(lines[0]).toEqual(expect.objectContaining({ agent: 'triage', outcome: 'throttled', throttles: 1, requestId: 't-9' }));
  });
});

test('the runtime entry point loads neither aws-cdk-lib nor constructs', () => {
  const probe = [
    "require('./lib/telemetry/runtime');",
    'const loaded = Object.keys(require.cache).filter((f) => /node_modules\\/(aws-cdk-lib|constructs)\\//.test(f));',
    'process.stdout.write(JSON.stringify(loaded));',
  ].join('\n');
  const result = spawnSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['-e', probe], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  expect(result.status).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual([]);
});
