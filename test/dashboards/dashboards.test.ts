import { Template } from 'aws-cdk-lib/assertions';
import { SloAlarmKind } from '../../lib/common';
import { DashboardLimits } from '../../lib/dashboards';
import { metricsIn } from '../../lib/dashboards/pages';
import { TelemetryContract, TelemetryFields, TelemetryMetrics } from '../../lib/telemetry';
import { exampleStack } from '../support/example';
import { agentTemplates, dashboardsOf } from '../support/templates';

const M = TelemetryMetrics;
const F = TelemetryFields;
const stack = exampleStack();
const [overview] = dashboardsOf(Template.fromStack(stack));
const agentDashboards = Object.fromEntries(
  Object.entries(agentTemplates(stack.aiOps)).map(([agent, template]) => [agent, dashboardsOf(template)[0]]),
);

const titles = (body: any): string[] => body.widgets.map((w: any) => w.properties.title).filter(Boolean);
const widget = (body: any, title: string) => {
  const found = body.widgets.find((w: any) => w.properties.title === title);
  if (!found) throw new Error(`no widget "${title}" in ${titles(body).join(' | ')}`);
  return found;
};
/** Metric rows of a widget as `namespace/name{dim=value,...}:stat`, math inputs included. */
const seriesIn = (w: any): string[] => w.properties.metrics
  .filter((row: any[]) => typeof row[0] === 'string')
  .map((row: any[]) => {
    const options = typeof row[row.length - 1] === 'object' ? row[row.length - 1] : {};
    const [namespace, name, ...rest] = row.filter((part) => typeof part === 'string');
    const dims = [];
    for (let i = 0; i < rest.length; i += 2) dims.push(`${rest[i]}=${rest[i + 1]}`);
    return `${namespace}/${name}{${dims.join(',')}}:${options.stat ?? 'Average'}`;
  });
const expressionsIn = (w: any): string[] => w.properties.metrics.filter((row: any[]) => row[0]?.expression).map((row: any[]) => row[0].expression);

describe('the overview dashboard of the example client', () => {
  test('is one page, named after the client', () => {
    expect(overview.name).toBe('example-ai-ops-overview');
  });

  test('spend, tokens by kind and cost per call for the whole client', () => {
    expect(seriesIn(widget(overview.body, 'Spend, all agents (USD per hour)'))).toEqual([`CdkAiOps/${M.COST_USD.name}{}:Sum`]);
    expect(seriesIn(widget(overview.body, 'Tokens, all agents, by kind (per hour)'))).toEqual(
      [M.INPUT_TOKENS, M.CACHE_READ_TOKENS, M.CACHE_WRITE_TOKENS, M.OUTPUT_TOKENS].map((m) => `CdkAiOps/${m.name}{}:Sum`));
    const perCall = widget(overview.body, 'Cost per call and prompt-cache hit rate, all agents');
    expect(expressionsIn(perCall)).toEqual([
      expect.stringMatching(/^cost_\w+ \/ callsSum_\w+$/),
      expect.stringMatching(/^100 \* cacheRead_\w+ \/ \(input_\w+ \+ cacheRead_\w+ \+ cacheWrite_\w+\)$/),
    ]);
  });

  test('spend and latency by model, and per agent: spend, cost per call, latency, error rates by cause, cache hit rates', () => {
    expect(seriesIn(widget(overview.body, 'Spend by model (USD per hour)'))).toHaveLength(4);
    expect(seriesIn(widget(overview.body, 'Spend by agent (USD per hour)'))).toEqual(
      ['triage', 'answer', 'retrieval', 'qa-review'].map((a) => `CdkAiOps/${M.COST_USD.name}{${F.AGENT.name}=${a}}:Sum`));
    for (const [title, counter] of [
      ['Model-error rate by agent (% of calls)', M.MODEL_ERRORS],
      ['Application-error rate by agent (% of calls)', M.APP_ERRORS],
      ['Throttle rate by agent (% of calls)', M.THROTTLES],
    ] as const) {
      const rates = expressionsIn(widget(overview.body, title));
      expect(rates).toHaveLength(4);
      for (const expression of rates) expect(expression).toMatch(new RegExp(`^100 \\* ${counter.name}_\\w+ / callsSum_\\w+$`));
    }
    expect(expressionsIn(widget(overview.body, 'Prompt-cache hit rate by agent (% of input tokens)'))).toHaveLength(4);
    expect(expressionsIn(widget(overview.body, 'Cost per call by agent (USD)'))).toHaveLength(4);
    expect(seriesIn(widget(overview.body, 'Latency p95 by agent (ms)'))).toHaveLength(4);
    expect(seriesIn(widget(overview.body, 'Cost per agent session (USD, average)'))).toEqual([`CdkAiOps/${M.SESSION_COST_USD.name}{${F.AGENT.name}=answer}:Average`]);
    expect(expressionsIn(widget(overview.body, 'Retrieval-cache hit rate by agent (% of retrievals)'))).toHaveLength(1);
  });

  test('the provider side: AWS/Bedrock metrics by ModelId for the Bedrock models only', () => {
    const bedrockModels = ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-haiku-4-5-20251001-v1:0', 'us.anthropic.claude-sonnet-4-6'];
    expect(seriesIn(widget(overview.body, 'Bedrock (provider side): invocations by ModelId'))).toEqual(
      bedrockModels.map((m) => `AWS/Bedrock/Invocations{ModelId=${m}}:Sum`));
    expect(seriesIn(widget(overview.body, 'Bedrock (provider side): invocation latency p95 (ms)'))).toEqual(
      bedrockModels.map((m) => `AWS/Bedrock/InvocationLatency{ModelId=${m}}:p95`));
    expect(seriesIn(widget(overview.body, 'Bedrock (provider side): input and output tokens'))).toHaveLength(2 * 3);
    expect(seriesIn(widget(overview.body, 'Bedrock (provider side): throttles, client and server errors'))).toEqual(bedrockModels.flatMap((m) => [
      `AWS/Bedrock/InvocationThrottles{ModelId=${m}}:Sum`, `AWS/Bedrock/InvocationClientErrors{ModelId=${m}}:Sum`, `AWS/Bedrock/InvocationServerErrors{ModelId=${m}}:Sum`,
    ]));
  });

  test('top tenants by cost and tokens from Contributor Insights, never from a tenant dimension', () => {
    expect(widget(overview.body, 'Top tenants by cost (USD, from the telemetry logs)').properties.insightRule)
      .toEqual({ maxContributorCount: 10, orderBy: 'Sum', ruleName: 'example-ai-ops-tenants-by-cost' });
    expect(widget(overview.body, 'Top tenants by tokens (from the telemetry logs)').properties.insightRule.ruleName).toBe('example-ai-ops-tenants-by-tokens');
    expect(JSON.stringify(overview.body)).not.toContain(`"${F.TENANT.name}"`);
  });

  test('an alarm-status widget with every client-wide alarm and every page, and a text naming each agent\'s owner and runbook', () => {
    const status = widget(overview.body, 'Alarms of Example Support Co.');
    expect(status.type).toBe('alarm');
    // 2 provider outages, production down, 4 model outages, production's failure rate, 4 suppressors, undelivered alerts,
    // 33 spend guards, the report's failed runs, the rollout's rolled-back alarm, 4 agent-down composites, 11 route composites,
    // 8 p50 latency alarms (P3, digest), staleness, cache floor, 7 accuracy, gpt-5-mini's end of life
    expect(status.properties.alarms).toHaveLength(2 + 1 + 4 + 1 + 4 + 1 + 33 + 1 + 1 + 4 + 11 + 8 + 2 + 7 + 1);
    expect(status.properties.alarms[0]).toBe('arn:aws:cloudwatch:us-east-1:111122223333:alarm:example-aws-bedrock-provider-outage');
    const text = overview.body.widgets.find((w: any) => w.type === 'text').properties.markdown;
    expect(text).toContain('| Answer drafting | support-ai | `support-answer-fn` | [example-ai-ops-agent-answer](#dashboards:name=example-ai-ops-agent-answer) | [runbook](https://runbooks.example.com/support/answer) |');
    expect(text).toContain('| Knowledge retrieval | search | `kb-retrieval-service` |');
  });

  test('a quality row: every accuracy objective at the alarms\' bound, evaluations by evaluator, feedback rate by route', () => {
    const bound = expressionsIn(widget(overview.body, 'Quality: accuracy by route at the alarms\' upper 95% bound (%)'));
    expect(bound).toHaveLength(4);
    for (const expression of bound) expect(expression).toMatch(/^IF\((passRate|meanScore)Count_\w+ >= (30|20), 100 \* \(1 - /);
    expect(seriesIn(widget(overview.body, 'Quality: evaluations per hour by route and evaluator'))).toEqual([
      `CdkAiOps/${M.EVALUATION_COUNT.name}{${F.AGENT.name}=answer,${F.EVALUATOR.name}=grounded-answer-judge,${F.ROUTE.name}=draft-reply}:Sum`,
      `CdkAiOps/${M.EVALUATION_COUNT.name}{${F.AGENT.name}=answer,${F.EVALUATOR.name}=reply-schema,${F.ROUTE.name}=draft-reply}:Sum`,
      `CdkAiOps/${M.EVALUATION_COUNT.name}{${F.AGENT.name}=qa-review,${F.EVALUATOR.name}=human-audit,${F.ROUTE.name}=score-reply}:Sum`,
    ]);
    const feedback = widget(overview.body, 'Quality: feedback rate by route (% of calls)');
    expect(expressionsIn(feedback)).toEqual([expect.stringMatching(/^100 \* feedbackSum_\w+ \/ callsSum_\w+$/), expect.stringMatching(/^100 \* feedbackSum_\w+ \/ callsSum_\w+$/)]);
    expect(seriesIn(feedback)).toContain(`CdkAiOps/${M.EVALUATION_COUNT.name}{${F.AGENT.name}=answer,${F.EVALUATOR.name}=${TelemetryContract.FEEDBACK_EVALUATOR},${F.ROUTE.name}=draft-reply}:Sum`);
  });

  test('spend band graphs: total and per model, with the detectors\' anomaly band (3 standard deviations)', () => {
    const total = widget(overview.body, 'Spend and its anomaly band, all agents (USD per hour)');
    expect(expressionsIn(total)).toEqual([expect.stringMatching(/^ANOMALY_DETECTION_BAND\(spendBand_\w+, 3\)$/)]);
    expect(seriesIn(total)).toEqual([`CdkAiOps/${M.COST_USD.name}{}:Sum`]);
    expect(titles(overview.body).filter((t) => t.startsWith('Spend and its anomaly band, model'))).toHaveLength(4);
  });

  test('the whole body (snapshot)', () => {
    expect(overview.body).toMatchSnapshot();
  });
});

describe('the agent dashboards of the example client', () => {
  test('per route: latency p50/p95/p99 with the SLO as annotations, and time to first token', () => {
    const latency = widget(agentDashboards.answer.body, 'draft-reply: latency p50 / p95 / p99 (ms) vs SLO');
    expect(seriesIn(latency)).toEqual([
      ...['p50', 'p95', 'p99'].map((stat) => `CdkAiOps/${M.LATENCY_MS.name}{${F.AGENT.name}=answer,${F.ROUTE.name}=draft-reply}:${stat}`),
      `CdkAiOps/${M.TIME_TO_FIRST_TOKEN_MS.name}{${F.AGENT.name}=answer,${F.ROUTE.name}=draft-reply}:p95`,
    ]);
    expect(latency.properties.annotations.horizontal.map((a: any) => a.value)).toEqual([3000, 8000, 15000]);
  });

  test('per route: error rates by cause against the SLO, tokens by kind, cost per period and per call', () => {
    const errors = widget(agentDashboards.triage.body, 'detect-language: error rates (% of calls)');
    expect(expressionsIn(errors)).toHaveLength(3);
    expect(errors.properties.annotations.horizontal[0].value).toBe(2);
    expect(seriesIn(widget(agentDashboards.triage.body, 'detect-language: tokens per 5 minutes'))).toHaveLength(4);
    const cost = widget(agentDashboards.triage.body, 'detect-language: cost (USD per 5 minutes, and per call)');
    expect(expressionsIn(cost)).toEqual([expect.stringMatching(/^cost_\w+ \/ callsSum_\w+$/)]);
  });

  test('per model: cost, tokens, prompt-cache hit rate against the floor, latency', () => {
    const hitRate = widget(agentDashboards.answer.body, 'Prompt-cache hit rate by model (% of input tokens read from cache)');
    expect(expressionsIn(hitRate)).toHaveLength(3);
    expect(hitRate.properties.annotations.horizontal[0].value).toBe(60);
    expect(seriesIn(widget(agentDashboards.answer.body, 'Cost by model (USD per hour)'))).toEqual([
      `CdkAiOps/${M.COST_USD.name}{${F.AGENT.name}=answer,${F.MODEL.name}=us.anthropic.claude-sonnet-4-5-20250929-v1:0}:Sum`,
      `CdkAiOps/${M.COST_USD.name}{${F.AGENT.name}=answer,${F.MODEL.name}=us.anthropic.claude-sonnet-4-6}:Sum`,
      `CdkAiOps/${M.COST_USD.name}{${F.AGENT.name}=answer,${F.MODEL.name}=anthropic.claude-haiku-4-5-20251001-v1:0}:Sum`,
    ]);
  });

  test('sessions: steps p50/p99, tool calls by tool (a search over the tool dimension), cost per session', () => {
    expect(seriesIn(widget(agentDashboards.answer.body, 'Agent steps per session (p50 / p99)'))).toEqual(
      ['p50', 'p99'].map((stat) => `CdkAiOps/${M.SESSION_STEPS.name}{${F.AGENT.name}=answer}:${stat}`));
    expect(expressionsIn(widget(agentDashboards.answer.body, 'Tool calls by tool (per 5 minutes)'))).toEqual([
      `SEARCH('{CdkAiOps,${F.AGENT.name},${F.TOOL.name}} MetricName="${M.TOOL_CALLS.name}" ${F.AGENT.name}="answer"', 'Sum', 300)`,
    ]);
    expect(titles(agentDashboards.triage.body)).not.toContain('Agent steps per session (p50 / p99)');
  });

  test('retrieval: recall and precision, staleness against its limit, retrieval-cache hit rate', () => {
    const body = agentDashboards.retrieval.body;
    expect(seriesIn(widget(body, 'Retrieval quality: recall@k and precision@k (average, labelled queries)'))).toHaveLength(2);
    expect(widget(body, 'Index staleness (hours since refresh, maximum)').properties.annotations.horizontal[0].value).toBe(24);
    expect(expressionsIn(widget(body, 'Retrieval-cache hit rate (% of retrievals)'))).toHaveLength(1);
    expect(titles(agentDashboards.answer.body)).not.toContain('Index staleness (hours since refresh, maximum)');
  });

  test('band graphs of the agent\'s spend and prompt-cache hit rate', () => {
    expect(expressionsIn(widget(agentDashboards.answer.body, 'Spend and its anomaly band (USD per hour)')))
      .toEqual([expect.stringMatching(/^ANOMALY_DETECTION_BAND\(spendBand_\w+, 3\)$/)]);
    expect(expressionsIn(widget(agentDashboards.answer.body, 'Prompt-cache hit rate and its anomaly band (%)')))
      .toEqual([expect.stringMatching(/^100 \*/), expect.stringMatching(/^ANOMALY_DETECTION_BAND\(hitBand_\w+, 3\)$/)]);
  });

  test('quality per route with an accuracy SLO: pass rate and mean score against the objectives, evaluations and feedback, accuracy by model', () => {
    const body = agentDashboards.answer.body;
    const passRate = widget(body, 'draft-reply: pass rate by evaluator (%, hourly and the alarms\' upper 95% bound)');
    expect(passRate.properties.annotations.horizontal.map((a: any) => [a.value, a.label])).toEqual([
      [90, 'grounded-answer-judge objective 90%'], [98, 'reply-schema objective 98%'],
    ]);
    expect(expressionsIn(passRate)).toHaveLength(4);
    expect(widget(body, 'draft-reply: mean score by evaluator (%, hourly and the alarms\' upper 95% bound)').properties.annotations.horizontal[0].value).toBe(80);
    const counts = widget(body, 'draft-reply: evaluations per hour by evaluator, and the feedback rate (% of calls)');
    expect(seriesIn(counts).filter((s) => s.includes(M.EVALUATION_COUNT.name))).toHaveLength(3);
    const byModel = widget(body, 'draft-reply: pass rate by model and evaluator (%, hourly, every route of the agent)');
    expect(seriesIn(byModel)).toEqual(expect.arrayContaining([
      `CdkAiOps/${M.EVALUATION_PASSED.name}{${F.AGENT.name}=answer,${F.EVALUATOR.name}=grounded-answer-judge,${F.MODEL.name}=anthropic.claude-haiku-4-5-20251001-v1:0}:Average`,
    ]));
    expect(seriesIn(byModel)).toHaveLength(3 * 2);
    // no accuracy SLO on summarize-thread: no accuracy graphs of its own
    expect(titles(body).filter((t) => t.startsWith('summarize-thread: pass rate'))).toEqual([]);
  });

  test('per variant and per evaluator outside the SLOs: a Logs Insights table and a search over the evaluator dimension', () => {
    const body = agentDashboards.answer.body;
    const table = widget(body, 'Accuracy by route, evaluator, model and variant (evaluation records of the time range)');
    expect(table.type).toBe('log');
    expect(table.properties.query).toContain('/aws/lambda/support-answer-fn');
    expect(table.properties.query).toContain(`filter ${F.RECORD_TYPE.name} = "evaluation" and ${F.AGENT.name} = "answer"`);
    expect(table.properties.query).toContain(`by ${F.ROUTE.name}, ${F.EVALUATOR.name}, ${F.MODEL.name}, ${F.VARIANT.name}`);
    const overTime = widget(body, 'Pass rate by variant over time (%, hourly, every route and evaluator, from the evaluation records)');
    expect(overTime.properties.view).toBe('timeSeries');
    expect(overTime.properties.query).toContain(`by bin(1h), ${F.VARIANT.name}`);
    expect(expressionsIn(widget(body, 'Evaluations per hour, every route and evaluator'))[0]).toContain(`MetricName="${M.EVALUATION_COUNT.name}" ${F.AGENT.name}="answer"`);
    expect(body.widgets[0].properties.markdown).toContain('| grounded-answer-judge pass rate ≥ 90%, grounded-answer-judge mean score ≥ 0.8; reply-schema pass rate ≥ 98% |');
  });

  test('graphs draw each threshold from the alarm that watches it', () => {
    const answer = stack.aiOps.agents[1];
    const p95 = answer.alarms.alarms.find((a) => a.kind === SloAlarmKind.LATENCY_P95 && a.route === 'draft-reply')!;
    const latency = widget(agentDashboards.answer.body, 'draft-reply: latency p50 / p95 / p99 (ms) vs SLO');
    expect(latency.properties.annotations.horizontal.map((h: any) => h.value)).toEqual([3000, (p95.alarm as any).toAnnotation().value, 15000]);
    const errors = widget(agentDashboards.answer.body, 'draft-reply: error rates (% of calls)');
    expect(errors.properties.annotations.horizontal).toEqual([expect.objectContaining({ value: 1, label: 'error SLO 1%' })]);
  });

  test('the agent\'s alarms and its owner', () => {
    // agent down, 6 per route, 3 route composites, cache floor, 5 accuracy, the route suppressor, spend and cache anomalies, spend rate and two burn rates, four session limits
    expect(widget(agentDashboards.answer.body, 'Alarms of Answer drafting').properties.alarms).toHaveLength(1 + 2 * 6 + 3 + 1 + 5 + 1 + 5 + 4);
    expect(agentDashboards.answer.body.widgets[0].properties.markdown).toContain('Owner: team **support-ai**, service `support-answer-fn`. [runbook](https://runbooks.example.com/support/answer).');
    // An agent without a runbook of its own links the generated runbooks, where the config publishes them.
    expect(agentDashboards.triage.body.widgets[0].properties.markdown).toContain('[runbooks](https://runbooks.example.com/cdk-ai-ops/example/README.md)');
  });

  test('the answer agent\'s whole body (snapshot)', () => {
    expect(agentDashboards.answer.body).toMatchSnapshot();
  });

  test('every dashboard stays within CloudWatch\'s limits', () => {
    for (const dashboard of [overview, ...Object.values(agentDashboards)]) {
      expect(dashboard.body.widgets.length).toBeLessThanOrEqual(DashboardLimits.WIDGETS_PER_DASHBOARD);
      expect(dashboard.bodyBytes).toBeLessThanOrEqual(DashboardLimits.BODY_BYTES);
      expect(dashboard.body.widgets.reduce((n: number, w: any) => n + metricsIn(w), 0)).toBeLessThanOrEqual(DashboardLimits.METRICS_PER_DASHBOARD);
    }
  });
});
