import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { AlarmFactory, SloAlarm } from '../common/alarm-factory';
import { SloAlarmKind } from '../common/alarm-kinds';
import { AiOpsNames } from '../common/names';
import { ClientConfig } from '../config/types';
import { END_OF_LIFE_WARNING_DAYS, endOfLifeOf, ModelEndOfLife } from '../pricing/end-of-life';
import { PriceCatalog } from '../pricing/price-catalog';
import { TokenPrices } from '../pricing/types';
import { TelemetryMetricFactory } from '../telemetry/metric-factory';

/** Hours an end-of-life alarm looks back: a model called at least once in a day is in use. */
const IN_USE_HOURS = 24;

/** Properties of `ModelEndOfLifeAlarms`. */
export interface ModelEndOfLifeAlarmsProps {
  readonly config: ClientConfig;
  /** Builds, names, describes and routes every alarm. */
  readonly factory: AlarmFactory;
  /** The client's telemetry (its namespace). */
  readonly metrics: TelemetryMetricFactory;
  /** Prices with their end-of-life dates and suggested successors. */
  readonly priceCatalog: PriceCatalog;
  /** Link to the overview dashboard, for the descriptions. */
  readonly dashboardUrl: string;
}

const perMillion = (prices: TokenPrices) => `${prices.input}/${prices.output} USD per million input/output tokens`;

/**
 * The deprecation watch: per model of the config whose vendor announced an end of life, one
 * `model-end-of-life` alarm (P3 by default) in ALARM while the model is still called within
 * `END_OF_LIFE_WARNING_DAYS` of that date, or after it. Days left are metric math over the model's
 * call count, (end of life - EPOCH(calls)) / 86400, so a model nobody calls has no datapoint and
 * stays OK; no function runs on a schedule. A model without an announced date gets no alarm.
 */
export class ModelEndOfLifeAlarms extends Construct {
  public readonly alarms: SloAlarm[] = [];

  public constructor(scope: Construct, id: string, props: ModelEndOfLifeAlarmsProps) {
    super(scope, id);
    const { config, factory, dashboardUrl } = props;
    const hourly = new TelemetryMetricFactory(props.metrics.namespace, Duration.hours(1));
    const routesCalling = (modelId: string) => config.agents
      .filter((agent) => (agent.models ?? config.models.map((m) => m.modelId)).includes(modelId))
      .flatMap((agent) => agent.routes.map((route) => `${agent.id}/${route.id}`));

    // Named from the model id, never its position: reordering the models renames nothing.
    for (const modelId of [...new Set(config.models.map((m) => m.modelId))]) {
      const endOfLife = endOfLifeOf(props.priceCatalog, modelId);
      if (!endOfLife) continue;
      const slug = AiOpsNames.slug(modelId);
      this.alarms.push(factory.addAlarm(this, `ModelEndOfLife-${slug}`, {
        kind: SloAlarmKind.MODEL_END_OF_LIFE,
        qualifier: slug,
        modelId,
        metric: hourly.daysUntil(endOfLife.epochSeconds, { model: modelId }, { label: `days until ${modelId} retires (${endOfLife.date})` }),
        threshold: END_OF_LIFE_WARNING_DAYS,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: IN_USE_HOURS,
        datapointsToAlarm: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        what: `model ${modelId} is still called and its vendor retires it on ${endOfLife.date}; ${successorText(endOfLife)}`,
        condition: `a call to it in the last ${IN_USE_HOURS} hours made fewer than ${END_OF_LIFE_WARNING_DAYS} days before ${endOfLife.date} `
          + `(metric math: (${endOfLife.epochSeconds} - EPOCH(calls)) / 86400 < ${END_OF_LIFE_WARNING_DAYS}); no calls for a day clears it`,
        owner: 'the on-call of the client; the owners of the routes that call the model',
        cause: `${config.clientId}/model/${modelId}/${SloAlarmKind.MODEL_END_OF_LIFE}`,
        affects: routesCalling(modelId),
        dashboardUrl,
      }));
    }
  }
}

/** The suggested successor and its list prices beside the retiring model's, or why none is named. */
function successorText(endOfLife: ModelEndOfLife): string {
  const { model, successor } = endOfLife;
  if (!successor) return 'no successor in the price catalog: see the catalog\'s deprecation note for the vendor\'s recommendation';
  return `suggested successor ${successor.displayName} (${successor.modelId}, ${perMillion(successor.prices)}; `
    + `${model.displayName} lists ${perMillion(model.prices)}): roll it out as a governed rollout before that date`;
}
