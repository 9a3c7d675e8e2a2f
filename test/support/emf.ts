/** Helpers to capture and check the EMF lines the runtime helper writes to stdout. */

export type EmfDocument = Record<string, any>;

/** Calls `fn` with stdout captured and returns the JSON lines written. */
export async function captureEmf(fn: () => unknown): Promise<EmfDocument[]> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
}

/**
 * Throws unless the document is valid EMF: a `_aws` member with an epoch-ms Timestamp and
 * CloudWatchMetrics directives whose dimension keys are string members and whose metric names
 * are numeric members of the root, within EMF's limits.
 */
export function expectValidEmf(doc: EmfDocument): void {
  expect(typeof doc._aws?.Timestamp).toBe('number');
  expect(Number.isInteger(doc._aws.Timestamp)).toBe(true);
  expect(Array.isArray(doc._aws.CloudWatchMetrics)).toBe(true);
  for (const directive of doc._aws.CloudWatchMetrics) {
    expect(typeof directive.Namespace).toBe('string');
    expect(directive.Metrics.length).toBeGreaterThan(0);
    expect(directive.Metrics.length).toBeLessThanOrEqual(100);
    for (const set of directive.Dimensions) {
      expect(set.length).toBeLessThanOrEqual(30);
      for (const name of set) expect(typeof doc[name]).toBe('string');
    }
    for (const metric of directive.Metrics) {
      expect(typeof metric.Name).toBe('string');
      expect(typeof doc[metric.Name]).toBe('number');
    }
  }
}

/** The metric series a document publishes: `metric{dim=value,...}` per dimension set and metric. */
export function seriesOf(doc: EmfDocument): string[] {
  const series: string[] = [];
  for (const directive of doc._aws.CloudWatchMetrics) {
    for (const set of directive.Dimensions as string[][]) {
      const dims = set.map((name) => `${name}=${doc[name]}`).join(',');
      for (const metric of directive.Metrics) series.push(`${directive.Namespace}:${metric.Name}{${dims}}`);
    }
  }
  return series;
}

/** Dimension-name sets and metric names of a document's directives. */
export function shapeOf(doc: EmfDocument): { dimensions: string[][]; metrics: string[] } {
  const directive = doc._aws.CloudWatchMetrics[0];
  return { dimensions: directive.Dimensions, metrics: directive.Metrics.map((m: { Name: string }) => m.Name) };
}
