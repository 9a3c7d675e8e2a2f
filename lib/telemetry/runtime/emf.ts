import { EmfLine } from './lines';

/**
 * Serializes one line as a CloudWatch Embedded Metric Format document: one directive with all
 * the line's dimension sets and metrics, the dimension values, metric values and properties as
 * root members.
 *
 * Written here rather than through Powertools Metrics or aws-embedded-metrics because neither
 * meets the helper's overhead budget (3x a bare JSON.stringify + write; Powertools alone
 * measures above 4x, see docs/benchmarks.md), and aws-embedded-metrics flushes asynchronously
 * and keeps properties across flushes. A test holds this output equal to Powertools' for every
 * kind of line.
 */
export function serializeEmf(line: EmfLine, namespace: string): string {
  const document: Record<string, unknown> = {
    _aws: {
      Timestamp: line.timestamp,
      CloudWatchMetrics: [{
        Namespace: namespace,
        Dimensions: line.dimensionSets.map((set) => Object.keys(set)),
        Metrics: line.metrics.map(({ metric }) => ({ Name: metric.name, Unit: metric.unit })),
      }],
    },
    ...line.properties,
  };
  for (const set of line.dimensionSets) Object.assign(document, set);
  for (const { metric, value } of line.metrics) document[metric.name] = value;
  return JSON.stringify(document);
}

/**
 * Writes EMF lines to stdout, synchronously and unprefixed (Lambda extracts EMF from stdout;
 * `console.log` would add Lambda's text-format prefix).
 */
export function stdoutEmfWriter(namespace: string): (line: EmfLine) => void {
  return (line) => {
    process.stdout.write(serializeEmf(line, namespace) + '\n');
  };
}
