import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { DashboardLimits } from './limits';

/** Metric rows of a rendered widget (math inputs included), as CloudWatch counts them. */
export function metricsIn(widgetJson: any): number {
  const rows: unknown[] = widgetJson?.properties?.metrics ?? [];
  return rows.filter((row) => Array.isArray(row) && typeof row[0] === 'string').length;
}

interface Page {
  rows: cloudwatch.IWidget[][];
  widgets: number;
  metrics: number;
  bytes: number;
}

/**
 * Lays widgets out in rows over as many dashboards as CloudWatch's limits require: a row that
 * would overflow a page starts the next one (`<name>-2`, ...), so nothing is ever truncated.
 */
export class DashboardPages {
  /** The name of page `page` (1-based) of a dashboard. */
  public static pageName(dashboardName: string, page: number): string {
    return page === 1 ? dashboardName : `${dashboardName}-${page}`;
  }

  private readonly pages: Page[] = [];

  /**
   * @param continuation header row of every page after the first, given the page number and the first page's name
   */
  public constructor(
    private readonly scope: Construct,
    private readonly dashboardName: string,
    private readonly continuation: (page: number, firstPageName: string) => cloudwatch.IWidget[],
  ) {}

  /** Adds one row of widgets. */
  public addRow(...widgets: cloudwatch.IWidget[]): void {
    // Widgets render their metrics as tokens: resolve them to count what CloudWatch will count.
    const rendered: any[] = Stack.of(this.scope).resolve(widgets.flatMap((widget) => widget.toJson()));
    for (const json of rendered) {
      if (metricsIn(json) > DashboardLimits.METRICS_PER_GRAPH) {
        throw new Error(`widget "${json?.properties?.title}" has ${metricsIn(json)} metrics, above CloudWatch's ${DashboardLimits.METRICS_PER_GRAPH}`);
      }
    }
    const row = { widgets: rendered.length, metrics: rendered.reduce((n, json) => n + metricsIn(json), 0), bytes: JSON.stringify(rendered).length };
    let page = this.pages[this.pages.length - 1];
    const fits = page
      && page.widgets + row.widgets <= DashboardLimits.WIDGETS_PER_DASHBOARD
      && page.metrics + row.metrics <= DashboardLimits.METRICS_PER_DASHBOARD
      && page.bytes + row.bytes <= DashboardLimits.BODY_BYTES;
    if (!fits) {
      page = { rows: [], widgets: 0, metrics: 0, bytes: 0 };
      this.pages.push(page);
      if (this.pages.length > 1) {
        const header = this.continuation(this.pages.length, this.dashboardName);
        const headerJson: any[] = Stack.of(this.scope).resolve(header.flatMap((widget) => widget.toJson()));
        page.rows.push(header);
        page.widgets += headerJson.length;
        page.bytes += JSON.stringify(headerJson).length;
      }
    }
    page.rows.push(widgets);
    page.widgets += row.widgets;
    page.metrics += row.metrics;
    page.bytes += row.bytes;
  }

  /** Creates the dashboards: construct id `Dashboard` for the first page, `Dashboard2`, ... after. */
  public createDashboards(): cloudwatch.Dashboard[] {
    return this.pages.map((page, index) => new cloudwatch.Dashboard(this.scope, index === 0 ? 'Dashboard' : `Dashboard${index + 1}`, {
      dashboardName: DashboardPages.pageName(this.dashboardName, index + 1),
      widgets: page.rows,
      defaultInterval: undefined,
    }));
  }
}

/** Splits a list into chunks of at most `size`. */
export function chunked<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
