/** CloudWatch dashboard limits the dashboards of this library stay within. */
export class DashboardLimits {
  public static readonly WIDGETS_PER_DASHBOARD = 500;
  public static readonly METRICS_PER_GRAPH = 500;
  /** Metrics used only inside metric math count too. */
  public static readonly METRICS_PER_DASHBOARD = 2500;
  public static readonly ALARMS_PER_ALARM_WIDGET = 100;
  /**
   * Dashboard body size this library stays under. AWS does not publish the body limit in the
   * PutDashboard reference; a conservative budget keeps every page far from any plausible one.
   */
  public static readonly BODY_BYTES = 500_000;
}
