/** Powertools for AWS Lambda (TypeScript) Metrics as the reference EMF writer, for tests and benchmarks. */
import { Metrics, MetricUnit as PowertoolsUnit } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '../../lib/telemetry';
import { EmfLine } from '../../lib/telemetry/runtime';

const UNITS = {
  [MetricUnit.COUNT]: PowertoolsUnit.Count,
  [MetricUnit.MILLISECONDS]: PowertoolsUnit.Milliseconds,
  [MetricUnit.NONE]: PowertoolsUnit.NoUnit,
};

/** A Metrics instance with no default dimensions and no warnings. */
export function powertoolsMetrics(namespace: string): Metrics {
  const quiet = () => undefined;
  const metrics = new Metrics({ namespace, logger: { debug: quiet, info: quiet, warn: quiet, error: quiet } });
  metrics.clearDefaultDimensions();
  return metrics;
}

/** Stores one line's dimension sets, metrics, properties and timestamp in `metrics`. */
export function storeLine(metrics: Metrics, line: EmfLine, timestamp = line.timestamp): void {
  for (const set of line.dimensionSets) metrics.addDimensions(set);
  for (const { metric, value } of line.metrics) metrics.addMetric(metric.name, UNITS[metric.unit], value);
  // EMF properties may be any JSON value; Powertools' types only name strings.
  for (const [key, value] of Object.entries(line.properties)) metrics.addMetadata(key, value as string);
  metrics.setTimestamp(timestamp);
}
