import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { DashboardLimits } from '../../lib/dashboards';
import { DashboardPages, metricsIn } from '../../lib/dashboards/pages';
import { newApp } from '../support/example';
import { dashboardsOf } from '../support/templates';

function graphOf(metricCount: number, title: string): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({
    title,
    left: Array.from({ length: metricCount }, (_, i) => new cloudwatch.Metric({ namespace: 'Test', metricName: `m${i}`, dimensionsMap: { title } })),
  });
}

describe('DashboardPages', () => {
  test('starts a new page when a row would pass the metrics-per-dashboard limit, and names it -2, -3', () => {
    // GIVEN rows of 400 metrics each: six fit in 2,500, the seventh does not
    const stack = new Stack(newApp(), 'S');
    const pages = new DashboardPages(stack, 'big', (page, first) => [new cloudwatch.TextWidget({ markdown: `page ${page} of ${first}`, width: 24, height: 1 })]);
    for (let row = 0; row < 13; row++) pages.addRow(graphOf(400, `row ${row}`));

    // WHEN
    const dashboards = pages.createDashboards();

    // THEN every row is on some page, every page within the limit, continuation pages say so
    expect(dashboards.map((d) => d.node.id)).toEqual(['Dashboard', 'Dashboard2', 'Dashboard3']);
    const rendered = dashboardsOf(Template.fromStack(stack));
    expect(rendered.map((d) => d.name)).toEqual(['big', 'big-2', 'big-3']);
    const graphTitles = rendered.flatMap((d) => d.body.widgets.map((w: any) => w.properties.title).filter(Boolean));
    expect(graphTitles).toEqual(Array.from({ length: 13 }, (_, row) => `row ${row}`));
    for (const { body } of rendered) {
      expect(body.widgets.reduce((n: number, w: any) => n + metricsIn(w), 0)).toBeLessThanOrEqual(DashboardLimits.METRICS_PER_DASHBOARD);
    }
    expect(rendered[1].body.widgets[0].properties.markdown).toBe('page 2 of big');
  });

  test('refuses a single graph above the metrics-per-graph limit, naming it', () => {
    const pages = new DashboardPages(new Stack(newApp(), 'S'), 'big', () => []);
    expect(() => pages.addRow(graphOf(501, 'too much'))).toThrow('widget "too much" has 501 metrics, above CloudWatch\'s 500');
  });
});
