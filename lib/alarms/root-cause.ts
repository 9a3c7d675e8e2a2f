import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { FAILING_MINUTES, WINDOW_MINUTES } from './slo-alarms';
import { OUTAGE_SUPPRESSION } from './suppression';
import { AlarmFactory, SloAlarm } from '../common/alarm-factory';
import { SloAlarmKind } from '../common/alarm-kinds';
import { AiOpsNames } from '../common/names';
import { AgentConfig, ClientConfig } from '../config/types';
import { ModelProvider } from '../pricing/price-catalog';
import { BedrockMetrics, TelemetryMetrics } from '../telemetry/contract';
import { TelemetryMetricFactory } from '../telemetry/metric-factory';

const M = TelemetryMetrics;
/** Share of a model's calls (or of all the client's calls) failing that counts as an outage, percent. */
export const OUTAGE_FAILURE_PERCENT = 50;
/**
 * Root-cause alarms decide in 3 of 5 one-minute periods, a minute ahead of the route alarms they
 * hold back (4 of 5), so the cause is in ALARM first.
 */
export const ROOT_CAUSE_MINUTES = 3;

/** Properties of `RootCauseAlarms`. */
export interface RootCauseAlarmsProps {
  readonly config: ClientConfig;
  readonly factory: AlarmFactory;
  /** The client's telemetry (its namespace). */
  readonly metrics: TelemetryMetricFactory;
  /** Link to the overview dashboard, for the descriptions. */
  readonly dashboardUrl: string;
}

/** The models an agent calls: its own list, else every model of the client. */
export function modelsOfAgent(config: ClientConfig, agent: AgentConfig): string[] {
  return agent.models ?? [...new Set(config.models.map((m) => m.modelId))];
}

/**
 * The causes upstream of every agent, each the one page for what it names:
 *
 * - per model, a `model-outage` alarm (no actions): half or more of its calls failing (model errors
 *   and throttles in the telemetry, whatever agent makes them; for a Bedrock model also AWS/Bedrock
 *   InvocationServerErrors and InvocationThrottles) in 3 of 5 minutes;
 * - per provider, a `provider-outage` composite over its models: the P1 page for "the provider is
 *   failing", naming the agents and routes that call it;
 * - `production-down`: half or more of all the client's calls failing in 4 of 5 minutes, while no
 *   provider outage explains it;
 * - the suppressors: production-down waits for the provider outages; each agent-down page waits
 *   for production-down and the outages of the providers that agent calls.
 */
export class RootCauseAlarms extends Construct {
  public readonly modelOutages: SloAlarm[] = [];
  public readonly providerOutages: SloAlarm[] = [];
  /** The metric alarm under production-down. */
  public readonly productionFailureRate: SloAlarm;
  public readonly productionDown: SloAlarm;
  /** Every suppressor composite (they never page). */
  public readonly suppressors: SloAlarm[] = [];

  private readonly agentSuppressors = new Map<string, string>();
  private readonly config: ClientConfig;
  private readonly factory: AlarmFactory;

  public constructor(scope: Construct, id: string, props: RootCauseAlarmsProps) {
    super(scope, id);
    const { config, factory, dashboardUrl } = props;
    this.config = config;
    this.factory = factory;
    const owner = 'the on-call of the client';
    const perMinute = new TelemetryMetricFactory(props.metrics.namespace, Duration.minutes(1));
    const models = [...new Map(config.models.map((m) => [m.modelId, m.provider])).entries()];
    const routesCalling = (modelIds: string[]) => config.agents
      .filter((agent) => modelsOfAgent(config, agent).some((m) => modelIds.includes(m)))
      .flatMap((agent) => agent.routes.map((route) => `${agent.id}/${route.id}`));

    for (const [modelId, provider] of models) {
      const slug = AiOpsNames.slug(modelId);
      const affects = routesCalling([modelId]);
      this.modelOutages.push(factory.addAlarm(this, `ModelOutage-${slug}`, {
        kind: SloAlarmKind.MODEL_OUTAGE,
        qualifier: slug,
        modelId,
        metric: this.modelFailurePercent(perMinute, modelId, provider),
        threshold: OUTAGE_FAILURE_PERCENT,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: WINDOW_MINUTES,
        datapointsToAlarm: ROOT_CAUSE_MINUTES,
        what: `model ${modelId} (${provider}) is failing for every agent that calls it (${affects.length} routes)`,
        condition: `${OUTAGE_FAILURE_PERCENT}% or more of its calls fail (model errors and throttles in the telemetry`
          + `${provider === ModelProvider.AWS_BEDROCK ? ', or AWS/Bedrock server errors and throttles' : ''}) in ${ROOT_CAUSE_MINUTES} of ${WINDOW_MINUTES} one-minute periods`,
        owner,
        cause: `${config.clientId}/model/${modelId}`,
        affects,
        dashboardUrl,
      }));
    }

    const providers = [...new Set(models.map(([, provider]) => provider))];
    for (const provider of providers) {
      const modelIds = models.filter(([, p]) => p === provider).map(([m]) => m);
      const children = this.modelOutages.filter((a) => modelIds.includes(a.modelId!));
      const affects = routesCalling(modelIds);
      const agents = [...new Set(affects.map((a) => a.split('/')[0]))];
      const outage = factory.addCompositeAlarm(this, `ProviderOutage-${AiOpsNames.providerPart(provider)}`, {
        kind: SloAlarmKind.PROVIDER_OUTAGE,
        qualifier: AiOpsNames.providerPart(provider),
        rule: AlarmFactory.anyInAlarm(children.map((c) => c.alarmName)),
        what: `provider ${provider} is failing: ${affects.length} routes of agents ${agents.join(', ')} are affected`,
        condition: `the model-outage alarm of any of its models (${modelIds.join(', ')}) is in ALARM; route, agent and production-down pages are held back meanwhile`,
        owner,
        cause: `${config.clientId}/provider/${provider}`,
        affects,
        dashboardUrl,
      });
      outage.alarm.node.addDependency(...children.map((c) => c.alarm));
      this.providerOutages.push(outage);
    }

    const anyOutage = this.suppressor('ProductionSuppressor', 'providers', this.providerOutages,
      'a provider outage is in ALARM: production-down is held back', owner);

    this.productionFailureRate = factory.addAlarm(this, 'ProductionFailureRate', {
      kind: SloAlarmKind.PRODUCTION_FAILURE_RATE,
      metric: new cloudwatch.MathExpression({
        expression: '100 * (FILL(pme, 0) + FILL(pae, 0) + FILL(pth, 0)) / pcalls',
        usingMetrics: {
          pme: perMinute.sum(M.MODEL_ERRORS, {}),
          pae: perMinute.sum(M.APP_ERRORS, {}),
          pth: perMinute.sum(M.THROTTLES, {}),
          pcalls: perMinute.sum(M.CALLS, {}),
        },
        label: 'failed calls, all agents (%)',
        period: Duration.minutes(1),
      }),
      threshold: OUTAGE_FAILURE_PERCENT,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: WINDOW_MINUTES,
      datapointsToAlarm: FAILING_MINUTES,
      what: `${OUTAGE_FAILURE_PERCENT}% or more of all calls of client ${config.clientId} are failing`,
      condition: `model errors, application errors and throttles >= ${OUTAGE_FAILURE_PERCENT}% of all calls in ${FAILING_MINUTES} of ${WINDOW_MINUTES} one-minute periods`,
      owner,
      dashboardUrl,
    });

    // At `<parent>/ProductionDown/Resource`, where it has always been: an unchanged logical id keeps the deployed alarm (and its history).
    this.productionDown = factory.addCompositeAlarm(new Construct(scope, 'ProductionDown'), 'Resource', {
      kind: SloAlarmKind.PRODUCTION_DOWN,
      rule: AlarmFactory.inAlarm(this.productionFailureRate.alarmName),
      what: `production is down for client ${config.clientId}: half or more of all calls fail, across agents`,
      condition: `${this.productionFailureRate.alarmName} is in ALARM; held back while a provider outage pages (wait ${OUTAGE_SUPPRESSION.waitPeriod.toSeconds()} s, extension ${OUTAGE_SUPPRESSION.extensionPeriod.toSeconds()} s)`,
      owner: `${owner}; the agents' owners are on the overview dashboard`,
      affects: config.agents.map((a) => a.id),
      dashboardUrl,
      suppression: { suppressorName: anyOutage.alarmName, ...OUTAGE_SUPPRESSION },
    });
    this.productionDown.alarm.node.addDependency(this.productionFailureRate.alarm, anyOutage.alarm);

    // One suppressor per set of providers the agents call: production-down, or an outage of one of them.
    for (const agent of config.agents) {
      const agentProviders = this.providersOf(agent);
      const key = agentProviders.map((p) => AiOpsNames.providerPart(p)).join('-');
      if (!this.agentSuppressors.has(key)) {
        const outages = this.providerOutages.filter((o) => agentProviders.some((p) => o.metadata.cause === `${config.clientId}/provider/${p}`));
        const created = this.suppressor(`AgentSuppressor-${key}`, `agents-of-${key}`, [this.productionDown, ...outages],
          `production is down or ${agentProviders.join(' or ')} is failing: the agent-down pages of agents calling only these providers are held back`, owner);
        this.agentSuppressors.set(key, created.alarmName);
      }
    }
  }

  /** The alarm whose ALARM holds back the agent's agent-down and route pages. */
  public agentSuppressorName(agent: AgentConfig): string {
    return this.agentSuppressors.get(this.providersOf(agent).map((p) => AiOpsNames.providerPart(p)).join('-'))!;
  }

  /** Every alarm, pages first. */
  public all(): SloAlarm[] {
    return [...this.providerOutages, this.productionDown, ...this.modelOutages, this.productionFailureRate, ...this.suppressors];
  }

  private providersOf(agent: AgentConfig): ModelProvider[] {
    const models = modelsOfAgent(this.config, agent);
    return [...new Set(this.config.models.filter((m) => models.includes(m.modelId)).map((m) => m.provider))].sort();
  }

  private suppressor(id: string, qualifier: string, upstream: SloAlarm[], what: string, owner: string): SloAlarm {
    const names = upstream.map((a) => a.alarmName);
    const created = this.factory.addCompositeAlarm(this, id, {
      kind: SloAlarmKind.OUTAGE_SUPPRESSOR,
      qualifier,
      rule: AlarmFactory.anyInAlarm(names),
      what,
      condition: `any of ${names.join(', ')} is in ALARM`,
      owner,
    });
    created.alarm.node.addDependency(...upstream.map((a) => a.alarm));
    this.suppressors.push(created);
    return created;
  }

  /** Percent of a model's calls failing: the telemetry's, or for Bedrock the larger of it and AWS/Bedrock's. */
  private modelFailurePercent(perMinute: TelemetryMetricFactory, modelId: string, provider: ModelProvider): cloudwatch.IMetric {
    const period = Duration.minutes(1);
    const dims = { model: modelId };
    const telemetry = new cloudwatch.MathExpression({
      expression: '100 * (FILL(merr, 0) + FILL(mthr, 0)) / mcalls',
      usingMetrics: { merr: perMinute.sum(M.MODEL_ERRORS, dims), mthr: perMinute.sum(M.THROTTLES, dims), mcalls: perMinute.sum(M.CALLS, dims) },
      label: `failed calls of ${modelId}, telemetry (%)`,
      period,
    });
    if (provider !== ModelProvider.AWS_BEDROCK) return telemetry;
    const bedrock = (metricName: string) => new cloudwatch.Metric({
      namespace: BedrockMetrics.NAMESPACE,
      metricName,
      dimensionsMap: { [BedrockMetrics.DIMENSION]: modelId },
      statistic: cloudwatch.Stats.SUM,
      period,
    });
    const server = new cloudwatch.MathExpression({
      expression: '100 * (FILL(berr, 0) + FILL(bthr, 0)) / (FILL(binv, 0) + FILL(bthr, 0))',
      usingMetrics: {
        berr: bedrock(BedrockMetrics.SERVER_ERRORS),
        bthr: bedrock(BedrockMetrics.THROTTLES),
        binv: bedrock(BedrockMetrics.INVOCATIONS),
      },
      label: `failed invocations of ${modelId}, AWS/Bedrock (%)`,
      period,
    });
    return new cloudwatch.MathExpression({
      expression: 'MAX([tel, srv])',
      usingMetrics: { tel: telemetry, srv: server },
      label: `failed calls of ${modelId} (%)`,
      period,
    });
  }
}
