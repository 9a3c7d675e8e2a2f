import { EmfLine } from './lines';

/** The serialized parts of lines of one shape: their directive and the root keys, quoted once. */
interface Shape {
  /** `{"_aws":{"Timestamp":` ... is written around it; this is `,"CloudWatchMetrics":[...]}`. */
  readonly directive: string;
  /** Each dimension name once, as `,"name":`, in first-seen order. */
  readonly dimensionKeys: Array<[string, string]>;
  /** `,"name":` per metric, in the line's order. */
  readonly metricKeys: string[];
}

// Lines of one record type share a handful of shapes (a call line differs only when the optional
// time to first token or outcome counters are absent); the cap keeps odd callers from growing it.
const MAX_SHAPES = 256;
const shapes = new Map<string, Shape>();
const quotedKeys = new Map<string, string>();

function quotedKey(name: string): string {
  let quoted = quotedKeys.get(name);
  if (quoted === undefined) {
    if (quotedKeys.size >= MAX_SHAPES) quotedKeys.clear();
    quoted = `,${JSON.stringify(name)}:`;
    quotedKeys.set(name, quoted);
  }
  return quoted;
}

/** The line's shape: its namespace, dimension names and metric names and units. */
function shapeOf(line: EmfLine, namespace: string): Shape {
  let key = namespace;
  for (const set of line.dimensionSets) {
    key += '|';
    for (const name in set) key += `${name},`;
  }
  key += '|';
  for (const { metric } of line.metrics) key += `${metric.name}:${metric.unit},`;
  let shape = shapes.get(key);
  if (shape === undefined) {
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    const dimensionNames = [...new Set(line.dimensionSets.flatMap((set) => Object.keys(set)))];
    shape = {
      directive: `,"CloudWatchMetrics":${JSON.stringify([{
        Namespace: namespace,
        Dimensions: line.dimensionSets.map((set) => Object.keys(set)),
        Metrics: line.metrics.map(({ metric }) => ({ Name: metric.name, Unit: metric.unit })),
      }])}}`,
      dimensionKeys: dimensionNames.map((name) => [name, quotedKey(name)]),
      metricKeys: line.metrics.map(({ metric }) => quotedKey(metric.name)),
    };
    shapes.set(key, shape);
  }
  return shape;
}

/**
 * Serializes one line as a CloudWatch Embedded Metric Format document: one directive with all
 * the line's dimension sets and metrics, the dimension values, metric values and properties as
 * root members.
 *
 * The directive is the same for every line of one shape (record type, metrics present,
 * namespace): it is serialized once per shape and reused, so the per-call work is the values.
 * Written here rather than through Powertools Metrics or aws-embedded-metrics because neither
 * meets the helper's overhead budget (see docs/benchmarks.md), and aws-embedded-metrics flushes
 * asynchronously and keeps properties across flushes. A test holds this output equal to
 * Powertools' for every kind of line.
 */
export function serializeEmf(line: EmfLine, namespace: string): string {
  const shape = shapeOf(line, namespace);
  let text = `{"_aws":{"Timestamp":${Math.floor(line.timestamp)}${shape.directive}`;
  const properties = line.properties;
  for (const key in properties) {
    const value = properties[key];
    text += quotedKey(key) + (typeof value === 'number' ? numberText(value) : JSON.stringify(value));
  }
  const dimensionSets = line.dimensionSets;
  for (const [name, quoted] of shape.dimensionKeys) {
    for (const set of dimensionSets) {
      const value = set[name];
      if (value !== undefined) {
        text += quoted + JSON.stringify(value);
        break;
      }
    }
  }
  const metrics = line.metrics;
  for (let i = 0; i < metrics.length; i++) text += shape.metricKeys[i] + numberText(metrics[i].value);
  return `${text}}`;
}

/** A JSON number; the core never hands over a non-finite one, and JSON would write it as null. */
function numberText(value: number): string {
  return Number.isFinite(value) ? String(value) : '0';
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
