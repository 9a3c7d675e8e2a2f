import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DashboardLimits } from '../../lib/dashboards';
import { metricsIn } from '../../lib/dashboards/pages';
import { AiOpsStack } from '../../lib/facade';
import { nagFindings, newApp } from '../support/example';
import { generatedClient } from '../support/generated-client';
import { allStacks, dashboardsOf } from '../support/templates';

/** CloudFormation's own limits on one template. */
const MAX_RESOURCES_PER_STACK = 500;
const MAX_TEMPLATE_BYTES = 1_000_000;

describe('a client with 40 agents, 200 routes and 3 models', () => {
  const app = newApp();
  const stack = new AiOpsStack(app, 'bigco-ai-ops', { config: generatedClient(40, 5) });
  // cdk-nag runs at the first synthesis, before any template is read.
  const findings = nagFindings(app);
  const stacks = allStacks(stack);
  const templates = stacks.map((s: Stack) => Template.fromStack(s));
  const dashboards = templates.flatMap(dashboardsOf);

  test('synthesizes with zero unacknowledged cdk-nag findings', () => {
    expect(findings).toEqual([]);
  });

  test('has an alarm set and a dashboard per agent, in nested stacks within CloudFormation\'s limits', () => {
    expect(stacks).toHaveLength(41);
    // 6 per route, staleness for 10 agents, a cache floor for 8, the dead-letter alarm, 2 anomaly detectors per agent, 8 client guards,
    // 3 model outages, production's failure rate and the end of life of the one model whose vendor announced it (gpt-5-mini)
    expect(templates.reduce((n, t) => n + Object.keys(t.findResources('AWS::CloudWatch::Alarm')).length, 0)).toBe(200 * 6 + 10 + 8 + 1 + 80 + 8 + 3 + 1 + 1);
    for (const template of templates) {
      const json = template.toJSON();
      expect(Object.keys(json.Resources).length).toBeLessThanOrEqual(MAX_RESOURCES_PER_STACK);
      expect(JSON.stringify(json).length).toBeLessThanOrEqual(MAX_TEMPLATE_BYTES);
    }
  });

  test('every dashboard stays within every CloudWatch limit: split into pages, not truncated', () => {
    expect(dashboards.length).toBeGreaterThanOrEqual(41);
    for (const { name, body, bodyBytes } of dashboards) {
      const context = { name };
      expect({ ...context, widgets: body.widgets.length <= DashboardLimits.WIDGETS_PER_DASHBOARD }).toEqual({ ...context, widgets: true });
      expect({ ...context, bytes: bodyBytes <= DashboardLimits.BODY_BYTES }).toEqual({ ...context, bytes: true });
      const metrics = body.widgets.reduce((n: number, w: any) => n + metricsIn(w), 0);
      expect({ ...context, metrics: metrics <= DashboardLimits.METRICS_PER_DASHBOARD }).toEqual({ ...context, metrics: true });
      for (const widget of body.widgets) {
        expect(metricsIn(widget)).toBeLessThanOrEqual(DashboardLimits.METRICS_PER_GRAPH);
        if (widget.type === 'alarm') expect(widget.properties.alarms.length).toBeLessThanOrEqual(DashboardLimits.ALARMS_PER_ALARM_WIDGET);
      }
    }
  });

  test('nothing is dropped: every agent on the overview pages, every paging alarm there, every alarm on a dashboard', () => {
    const overviewPages = dashboards.filter((d) => d.name.startsWith('bigco-ai-ops-overview'));
    const widgets = overviewPages.flatMap((page) => page.body.widgets);
    const alarmsOn = (ws: any[]) => new Set(ws.filter((w: any) => w.type === 'alarm').flatMap((w: any) => w.properties.alarms));
    const onOverview = alarmsOn(widgets);
    const paging = stack.aiOps.alarms().filter((a) => a.pages);
    for (const alarm of paging) expect(onOverview.has(`arn:aws:cloudwatch:us-east-1:111122223333:alarm:${alarm.alarmName}`)).toBe(true);
    // The metric alarms above; a route composite per route, agent-down and a route suppressor per agent; 2 provider outages,
    // production-down, its suppressor and one per set of providers the agents call (2)
    expect(alarmsOn(dashboards.flatMap((d) => d.body.widgets)).size).toBe(200 * 6 + 10 + 8 + 1 + 80 + 8 + 3 + 1 + 1 + 200 + 40 * 2 + 2 + 1 + 1 + 2);
    const spendSeries = widgets.filter((w: any) => w.properties.title?.startsWith('Spend by agent'))
      .reduce((n: number, w: any) => n + metricsIn(w), 0);
    expect(spendSeries).toBe(40);
  });
});
