import { RecordType, TelemetryFields, TelemetryMetrics } from '../../lib/telemetry';
import { AiCallInput, AiTelemetry, EmfLine } from '../../lib/telemetry/runtime';

const F = TelemetryFields;

/** The instant the harness's clock starts at. */
export const HARNESS_START = Date.UTC(2026, 10, 29, 12, 0, 0);

/**
 * The direct call equal to the OpenTelemetry GenAI span the span-processor tests end (stubbed and
 * real SDK alike): the span must give the identical line.
 */
export const GEN_AI_SPAN_CALL: AiCallInput = {
  agent: 'answer',
  route: 'draft-reply',
  tenant: 'tenant-1',
  provider: 'aws.bedrock',
  model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  operation: 'chat',
  inputTokens: 1200,
  outputTokens: 350,
  cacheReadTokens: 8000,
  cacheWriteTokens: 1500,
  latencyMs: 2870,
  timestamp: HARNESS_START - 5000,
  requestId: 'req_01J9',
  sessionId: 'c0ffee-42',
};

/** A telemetry instance on a clock the test moves (`at`), with the lines it wrote and readers of them. */
export function telemetryHarness() {
  let now = HARNESS_START;
  const lines: EmfLine[] = [];
  const telemetry = new AiTelemetry({ namespace: 'Test', clock: () => now, warn: () => undefined, write: (line) => lines.push(line) });
  const calls = () => lines.filter((l) => l.properties[F.RECORD_TYPE.name] === RecordType.AI_CALL);
  const metric = (line: EmfLine, m: typeof TelemetryMetrics.CALLS) => line.metrics.find((x) => x.metric === m)?.value;
  const reasons = () => lines.filter((l) => l.properties[F.RECORD_TYPE.name] === RecordType.TELEMETRY_REJECTION)
    .map((l) => l.dimensionSets[0][F.REASON.name]);
  return { telemetry, lines, calls, metric, reasons, at: (ms: number) => { now = HARNESS_START + ms; } };
}
