import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { decodeAlarmMetadata, SloAlarmKind } from '../../lib/common';
import { ClientConfig } from '../../lib/config';
import { AiOpsStack } from '../../lib/facade';
import { alarmDefinitionOf, compositeDefinitionOf, Page, runScenario } from '../../lib/governance/backtest';
import { ModelProvider } from '../../lib/pricing';
import { TelemetryMetrics } from '../../lib/telemetry';
import { exampleConfig, newApp } from '../support/example';
import { generatedClient } from '../support/generated-client';
import { OutageTraffic } from '../support/outage-traffic';
import { allStacks, rendered } from '../support/templates';

/*
 * The pages an on-call engineer gets, from the synthesized alarms and composites evaluated minute
 * by minute: a one-hour Bedrock outage, one agent's outage, one route's, and steady traffic, at
 * 1, 4 and 100 calls a minute per route, for the example client and a generated 40-agent client.
 */
const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 3, 9, 0);
const OUTAGE_START = T0 + 30 * MINUTE;
const OUTAGE_END = OUTAGE_START + 60 * MINUTE;
const END = OUTAGE_END + 30 * MINUTE;
/**
 * The alarms an outage moves: errors, throttles, latency, model outages, production's failure rate.
 * The others read spend, evaluations, index age, queues or a function's errors, which the synthetic
 * month backtest and their own tests cover; the composites naming them see them OK.
 */
const OUTAGE_KINDS = new Set<string>([
  SloAlarmKind.MODEL_ERROR_RATE, SloAlarmKind.APP_ERROR_RATE, SloAlarmKind.THROTTLE_RATE, SloAlarmKind.LATENCY_P50, SloAlarmKind.LATENCY_P95,
  SloAlarmKind.LATENCY_P99, SloAlarmKind.MODEL_OUTAGE, SloAlarmKind.PRODUCTION_FAILURE_RATE,
]);

interface Client {
  readonly config: ClientConfig;
  readonly alarms: Array<ReturnType<typeof alarmDefinitionOf> & { actions: boolean }>;
  readonly composites: ReturnType<typeof compositeDefinitionOf>[];
  readonly severityOf: Map<string, string>;
}

function synthesized(config: ClientConfig, app: App = newApp()): Client {
  const stack = new AiOpsStack(app, `${config.clientId}-ai-ops`, { config });
  const resources = allStacks(stack as Stack).flatMap((s) => Object.values<any>(Template.fromStack(s).toJSON().Resources));
  const severityOf = new Map<string, string>();
  const alarms: Client['alarms'] = [];
  const composites: Client['composites'] = [];
  for (const resource of resources) {
    if (resource.Type !== 'AWS::CloudWatch::Alarm' && resource.Type !== 'AWS::CloudWatch::CompositeAlarm') continue;
    const p = resource.Properties;
    const metadata = decodeAlarmMetadata(rendered(p.AlarmDescription))!;
    const name = p.AlarmName ?? p.CompositeAlarmName;
    severityOf.set(name, metadata.severity);
    if (resource.Type === 'AWS::CloudWatch::CompositeAlarm') composites.push(compositeDefinitionOf({ ...p, AlarmName: name }));
    else if (OUTAGE_KINDS.has(metadata.kind)) alarms.push({ ...alarmDefinitionOf(p), actions: (p.AlarmActions ?? []).length > 0 });
  }
  return { config, alarms, composites, severityOf };
}

const example = synthesized(exampleConfig());
const forty = synthesized(generatedClient(40, 5));

function pagesOf(client: Client, rate: number, scenario: (traffic: OutageTraffic) => void) {
  const traffic = new OutageTraffic(client.config, client.config.metricNamespace ?? 'CdkAiOps', rate);
  scenario(traffic);
  const result = runScenario(client.alarms, client.composites, traffic, T0, END);
  const describe = (p: Page) => ({ alarm: p.alarm, severity: client.severityOf.get(p.alarm)!, afterMinutes: (p.time - OUTAGE_START) / MINUTE });
  return { pages: result.pages.map(describe), result };
}

const bedrockOutage = (traffic: OutageTraffic) => traffic.fail({
  from: OUTAGE_START, to: OUTAGE_END, outcome: TelemetryMetrics.MODEL_ERRORS, matches: (call) => call.provider === ModelProvider.AWS_BEDROCK,
});

describe.each([
  ['the example client', example, 'example-aws-bedrock-provider-outage'],
  ['a 40-agent client', forty, 'bigco-aws-bedrock-provider-outage'],
])('%s', (_label, client, bedrockPage) => {
  describe.each([1, 4, 100])('at %d calls a minute per route', (rate) => {
    test('a one-hour Bedrock outage gives one page, the P1 provider outage, within 5 minutes; OpenAI stays quiet', () => {
      const { pages, result } = pagesOf(client, rate, bedrockOutage);
      expect(pages).toEqual([{ alarm: bedrockPage, severity: 'P1', afterMinutes: 3 }]);
      // What it held back: route, agent and production pages.
      expect(result.suppressed.length).toBeGreaterThan(0);
      const openAi = [...result.states.entries()].filter(([name]) => /openai-provider-outage|gpt-5-mini-model-outage/.test(name));
      expect(openAi.length).toBeGreaterThan(0);
      for (const [name, states] of openAi) expect({ name, alarmed: states.includes('ALARM') }).toEqual({ name, alarmed: false });
    });

    test('one agent\'s outage (every route failing with application errors) gives one page: its agent-down', () => {
      const agent = client.config.agents[1];
      const { pages } = pagesOf(client, rate, (traffic) => traffic.fail({
        from: OUTAGE_START, to: OUTAGE_END, outcome: TelemetryMetrics.APP_ERRORS, matches: (call) => call.agent === agent.id,
      }));
      expect(pages).toEqual([{ alarm: `${client.config.clientId}-${agent.id}-agent-down`, severity: agent.clientCritical ? 'P1' : 'P2', afterMinutes: 5 }]);
    });

    test('one route failing gives that route\'s page, within 5 minutes', () => {
      const agent = client.config.agents[0];
      const route = agent.routes[0];
      const { pages } = pagesOf(client, rate, (traffic) => traffic.fail({
        from: OUTAGE_START,
        to: OUTAGE_END,
        outcome: TelemetryMetrics.APP_ERRORS,
        matches: (call) => call.agent === agent.id && call.route === route.id,
      }));
      expect(pages).toEqual([{ alarm: `${client.config.clientId}-${agent.id}-${route.id}-route-failing`, severity: 'P2', afterMinutes: 5 }]);
    });
  });

  test('at 1 call a minute, one random failure on a route never pages; a handful spread over the hours neither', () => {
    const { pages } = pagesOf(client, 1, (traffic) => {
      for (const [i, agent] of client.config.agents.slice(0, 5).entries()) {
        traffic.strayFailure(agent.id, agent.routes[0].id, OUTAGE_START + i * 7 * MINUTE);
      }
    });
    expect(pages).toEqual([]);
  });
});

describe('a steady month of the example client at 1 call a minute per route, with a random failure every 20 minutes somewhere', () => {
  test('gives no page', () => {
    const dayEnd = T0 + 30 * 24 * 60 * MINUTE;
    const traffic = new OutageTraffic(example.config, 'CdkAiOps', 1);
    const routes = example.config.agents.flatMap((a) => a.routes.map((r) => [a.id, r.id] as const));
    for (let minute = T0, i = 0; minute < dayEnd; minute += 20 * MINUTE, i++) traffic.strayFailure(...routes[(i * 5) % routes.length], minute);
    expect(runScenario(example.alarms, example.composites, traffic, T0, dayEnd).pages).toEqual([]);
  });
});
