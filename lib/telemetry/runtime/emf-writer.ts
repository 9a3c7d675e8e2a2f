import { Metrics, MetricUnit as PowertoolsUnit } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '../contract';
import { EmfLine } from './lines';

const UNITS: Record<MetricUnit, (typeof PowertoolsUnit)[keyof typeof PowertoolsUnit]> = {
  [MetricUnit.COUNT]: PowertoolsUnit.Count,
  [MetricUnit.MILLISECONDS]: PowertoolsUnit.Milliseconds,
  [MetricUnit.NONE]: PowertoolsUnit.NoUnit,
};

// Powertools warns when a key appears in several dimension sets; the contract's sets share the
// agent dimension (with one value per line) by design, so that warning says nothing here.
const SHARED_DIMENSION_WARNING = /^EMF key ".*" is defined as both a dimension set and dimension set/;

/**
 * Writes EMF lines through Powertools for AWS Lambda (TypeScript) Metrics: one directive per line,
 * every dimension set of the line, published synchronously to stdout. Powertools clears its
 * metrics, dimensions and metadata after each publish, and this writer clears them again when a
 * line cannot be published, so nothing leaks into the next line.
 */
export class EmfWriter {
  private readonly metrics: Metrics;

  public constructor(namespace: string, warn: (message: string) => void) {
    const forward = (...content: unknown[]) => warn(content.map(String).join(' '));
    this.metrics = new Metrics({
      namespace,
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: (...content: unknown[]) => {
          if (!SHARED_DIMENSION_WARNING.test(String(content[0]))) forward(...content);
        },
        error: forward,
      },
    });
    // Powertools adds a `service` dimension to every set by default; the contract's sets are exact.
    this.metrics.clearDefaultDimensions();
  }

  public write(line: EmfLine): void {
    try {
      for (const set of line.dimensionSets) this.metrics.addDimensions(set);
      for (const { metric, value } of line.metrics) this.metrics.addMetric(metric.name, UNITS[metric.unit], value);
      for (const [key, value] of Object.entries(line.properties)) {
        // EMF properties may be any JSON value; Powertools' types only name strings.
        this.metrics.addMetadata(key, value as string);
      }
      this.metrics.setTimestamp(line.timestamp);
      this.metrics.publishStoredMetrics();
    } finally {
      this.metrics.clearMetrics();
      this.metrics.clearDimensions();
      this.metrics.clearMetadata();
    }
  }
}
