import { RecordType, TelemetryFields, TelemetryMetrics } from '../../lib/telemetry';
import { AiTelemetry, EmfLine } from '../../lib/telemetry/runtime';

const F = TelemetryFields;

/** The instant the harness's clock starts at. */
export const HARNESS_START = Date.UTC(2026, 10, 29, 12, 0, 0);

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
