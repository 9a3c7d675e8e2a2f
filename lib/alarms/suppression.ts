import { Duration } from 'aws-cdk-lib';

/**
 * How the composites of a lower level wait for a cause upstream (CloudWatch's
 * ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod):
 *
 * - wait 60 s: the root-cause alarms decide in 3 of 5 one-minute periods, the route alarms in 4 of
 *   5, so in an outage the cause is in ALARM a minute before the pages it holds back. The wait
 *   covers the remaining skew (metrics from different agents landing a minute apart, composites
 *   evaluated one after the other) and delays a page with no upstream cause by one minute only:
 *   a route's total outage still pages within 5 minutes.
 * - extension 600 s: after the cause clears, routes need a few good minutes to leave ALARM (4 of 5
 *   one-minute periods) and retried traffic arrives in a burst; ten minutes keeps the tail of the
 *   same outage from paging a second time.
 */
export const OUTAGE_SUPPRESSION = {
  waitPeriod: Duration.seconds(60),
  extensionPeriod: Duration.seconds(600),
} as const;
