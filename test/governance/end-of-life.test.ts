import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { renderRunbook } from '../../lib/alarms/runbooks';
import { AlarmFactory, decodeAlarmMetadata, IAlarmRouter, SloAlarmKind } from '../../lib/common';
import { ClientConfig, Severity } from '../../lib/config';
import { ModelEndOfLifeAlarms } from '../../lib/governance';
import { END_OF_LIFE_WARNING_DAYS, PriceCatalog } from '../../lib/pricing';
import { BUILT_IN_PRICES } from '../../lib/pricing/catalog';
import { TelemetryFields, TelemetryMetrics } from '../../lib/telemetry';
import { TelemetryMetricFactory } from '../../lib/telemetry/metric-factory';
import { exampleConfig, exampleStack } from '../support/example';
import { alarmsOf, rendered } from '../support/templates';

const GPT5_MINI_EOL_SECONDS = Date.UTC(2026, 11, 11) / 1000;

describe('the example client: one alarm per model in use whose vendor announced an end of life', () => {
  const stack = exampleStack();
  const alarms = alarmsOf(Template.fromStack(stack));
  const created = stack.aiOps.endOfLife.alarms;

  test('gpt-5-mini (retiring 2026-12-11) gets one; the Claude models, with no date announced, get none', () => {
    expect(created.map((a) => [a.alarmName, a.modelId, a.kind, a.severity])).toEqual([
      ['example-gpt-5-mini-model-end-of-life', 'gpt-5-mini', SloAlarmKind.MODEL_END_OF_LIFE, Severity.P3],
    ]);
    expect(Object.keys(alarms).filter((name) => name.endsWith('-model-end-of-life'))).toEqual(['example-gpt-5-mini-model-end-of-life']);
    expect(stack.aiOps.alarms()).toEqual(expect.arrayContaining(created));
  });

  test('days left are metric math over the model\'s hourly calls: EPOCH, kept only where it was called, below the window', () => {
    const alarm = alarms['example-gpt-5-mini-model-end-of-life'];
    expect(alarm).toEqual(expect.objectContaining({
      ComparisonOperator: 'LessThanThreshold',
      Threshold: END_OF_LIFE_WARNING_DAYS,
      EvaluationPeriods: 24,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
    }));
    const expression = alarm.Metrics.find((m: any) => m.Expression);
    const [, id] = /^IF\((\w+), \((\d+) - EPOCH\(\1\)\) \/ 86400\)$/.exec(expression.Expression)!;
    expect(expression.Expression).toBe(`IF(${id}, (${GPT5_MINI_EOL_SECONDS} - EPOCH(${id})) / 86400)`);
    expect(expression.ReturnData).toBe(true);
    const calls = alarm.Metrics.find((m: any) => m.Id === id);
    expect(calls.ReturnData).toBe(false);
    expect(calls.MetricStat).toEqual({
      Metric: { Namespace: 'CdkAiOps', MetricName: TelemetryMetrics.CALLS.name, Dimensions: [{ Name: TelemetryFields.MODEL.name, Value: 'gpt-5-mini' }] },
      Period: 3600,
      Stat: 'Sum',
    });
  });

  test('routed as a P3 (the digest), never paging P1 or P2; the description names the date and why no successor is named', () => {
    const alarm = alarms['example-gpt-5-mini-model-end-of-life'];
    const topics = JSON.stringify([alarm.AlarmActions, alarm.OKActions]);
    expect(topics).toMatch(/P3/);
    expect(topics).not.toMatch(/P1|P2/);
    const description = rendered(alarm.AlarmDescription);
    const metadata = decodeAlarmMetadata(description)!;
    expect(metadata).toEqual(expect.objectContaining({
      severity: Severity.P3, kind: SloAlarmKind.MODEL_END_OF_LIFE, cause: 'example/model/gpt-5-mini/model-end-of-life',
    }));
    expect(metadata.affects).toEqual(['retrieval/rewrite-query', 'retrieval/rerank', 'qa-review/score-reply', 'qa-review/flag-escalation']);
    expect(description).toMatch(/retires it on 2026-12-11; no successor in the price catalog/);
  });

  test('its runbook says how to move: the successor as a governed rollout, and the calls still made to the model', () => {
    const runbook = renderRunbook(created[0], exampleConfig());
    expect(runbook).toContain('filter recordType = "ai_call" and model = "gpt-5-mini"');
    expect(runbook).toMatch(/governed rollout/);
    expect(runbook).toMatch(/npx cdk-ai-ops compare/);
  });
});

describe('ModelEndOfLifeAlarms on its own, in a bare stack', () => {
  function build(prices = BUILT_IN_PRICES, models = ['anthropic.claude-haiku-4-5-20251001-v1:0', 'global.anthropic.claude-opus-4-5-20251101-v1:0']) {
    const stack = new Stack();
    const routed: Array<[string, Severity]> = [];
    const router: IAlarmRouter = {
      route: (alarm, severity) => { routed.push([alarm.node.id, severity]); },
      serviceTopic: () => new sns.Topic(stack, 'Unused'),
    };
    const base = exampleConfig();
    const config: ClientConfig = {
      ...base,
      models: models.map((modelId) => ({ modelId, provider: base.models[0].provider })),
      agents: [{ ...base.agents[0], models: [models[0]] }, { ...base.agents[1], models }],
    };
    const watch = new ModelEndOfLifeAlarms(stack, 'EndOfLife', {
      config,
      factory: new AlarmFactory({ clientId: 'acme', router }),
      metrics: new TelemetryMetricFactory('Acme'),
      priceCatalog: new PriceCatalog(prices),
      dashboardUrl: 'https://console.example/dashboard',
    });
    return { watch, routed, template: Template.fromStack(stack) };
  }

  test('names the suggested successor with both list prices; named from the model id; routed at P3', () => {
    const { watch, routed, template } = build();
    expect(watch.alarms).toHaveLength(1);
    expect(watch.alarms[0].alarmName).toMatch(/^acme-global-anthropic-claude-opus-4-5-20251101-v1-0-[a-z0-9]+-model-end-of-life$/);
    expect(watch.alarms[0].what).toBe('model global.anthropic.claude-opus-4-5-20251101-v1:0 is still called and its vendor retires it on 2027-01-22; '
      + 'suggested successor Claude Opus 4.6 (claude-opus-4-6, 5/25 USD per million input/output tokens; Claude Opus 4.5 lists 5/25 USD per '
      + 'million input/output tokens): roll it out as a governed rollout before that date');
    const caller = exampleConfig().agents[1];
    expect(watch.alarms[0].metadata.affects).toEqual(caller.routes.map((r) => `${caller.id}/${r.id}`));
    expect(routed).toEqual([[expect.stringMatching(/^ModelEndOfLife-global-anthropic-claude-opus-4-5/), Severity.P3]]);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
  });

  test('a catalog without any end-of-life date creates no alarm', () => {
    const { watch, routed, template } = build(BUILT_IN_PRICES.map(({ deprecationDate, ...price }) => price));
    expect(watch.alarms).toEqual([]);
    expect(routed).toEqual([]);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('a model the catalog does not price creates no alarm rather than a guess', () => {
    const { watch } = build(BUILT_IN_PRICES, ['a-private-model']);
    expect(watch.alarms).toEqual([]);
  });

  test('reordering the models renames nothing', () => {
    const models = ['gpt-5', 'gemini-2.5-pro', 'gpt-5-nano'];
    const names = (order: string[]) => build(BUILT_IN_PRICES, order).watch.alarms.map((a) => a.alarmName).sort();
    expect(names([...models].reverse())).toEqual(names(models));
    expect(names(models)).toEqual([
      expect.stringMatching(/^acme-gemini-2-5-pro-[a-z0-9]+-model-end-of-life$/), 'acme-gpt-5-model-end-of-life', 'acme-gpt-5-nano-model-end-of-life',
    ]);
  });
});
