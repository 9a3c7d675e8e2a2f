/*
 * The report function's API calls for one month of the example client, counted through its real
 * data sources against stand-ins (a Logs Insights stand-in over the synthetic month, mocked
 * CloudWatch and Cost Explorer answering for the example's synthesized alarms), beside the fewest
 * calls its design allows.
 */
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import { logGroupBatches } from '../../lambda/governance-report/queries';
import { gatherPeriod, PREVIOUS_PERIOD_SOURCES } from '../../lambda/governance-report/sources';
import { parsePeriod } from '../../lib/reporting/period';
import { exampleConfig, exampleStack } from '../support/example';
import { FakeLogsInsights, FakeRecord } from '../support/fake-logs-insights';
import { syntheticTelemetry } from '../support/report-telemetry';

export interface ApiCallCount {
  readonly operation: string;
  readonly made: number;
  readonly minimum: number;
  readonly why: string;
}

/** Logs Insights queries of the reported month (totals, usage, tenants, percentiles, evaluations) and of the one before (totals, usage). */
const MONTH_QUERIES = 5;
const PREVIOUS_QUERIES = 2;

export async function lambdaApiCalls(): Promise<{ counts: ApiCallCount[]; gbScanned: number; alarms: number }> {
  const config = exampleConfig();
  const logGroupOf = new Map(config.agents.map((a) => [a.id, a.logGroups[0]]));
  const records: FakeRecord[] = [];
  syntheticTelemetry((line) => {
    const r = JSON.parse(line);
    records.push({ ...r, logGroup: logGroupOf.get(r.agent)!, at: r._aws.Timestamp });
  });
  const logs = new FakeLogsInsights(records);
  // Every query complete at its first poll: the count is of requests the design needs, not of waiting.
  logs.runningPolls = 0;
  const alarmNames = exampleStack().aiOps.alarms().map((a) => a.alarmName);
  const cloudwatchClient = new CloudWatchClient({ region: 'us-east-1' });
  const cloudwatch = mockClient(cloudwatchClient);
  cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: alarmNames.map((AlarmName) => ({ AlarmName, StateValue: 'OK' })), CompositeAlarms: [] });
  cloudwatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
  cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
  const costExplorerClient = new CostExplorerClient({ region: 'us-east-1' });
  mockClient(costExplorerClient).on(GetCostAndUsageCommand).resolves({ ResultsByTime: [] });
  const clients = { logs: logs.client, cloudwatch: cloudwatchClient, costExplorer: costExplorerClient };
  const options = { sleep: async () => undefined, random: () => 0.5, now: () => new Date('2026-11-02T08:00:00Z'), deadlineMs: Date.parse('2026-11-02T08:14:00Z') };

  const current = await gatherPeriod(clients, options, config, parsePeriod('2026-10'));
  const previous = await gatherPeriod(clients, options, config, parsePeriod('2026-09'), PREVIOUS_PERIOD_SOURCES);
  const made = (op: string) => (current.queryCost?.apiCalls[op] ?? 0) + (previous.queryCost?.apiCalls[op] ?? 0);
  const batches = logGroupBatches(config.agents).length;
  const queries = (MONTH_QUERIES + PREVIOUS_QUERIES) * batches;
  const counts: ApiCallCount[] = [
    { operation: 'logs:StartQuery', made: made('logs:StartQuery'), minimum: queries, why: `${MONTH_QUERIES} queries of the month and ${PREVIOUS_QUERIES} of the month before, per batch of <= 50 log groups (${batches})` },
    { operation: 'logs:GetQueryResults', made: made('logs:GetQueryResults'), minimum: queries, why: 'one result page per query (each query under 10,000 rows)' },
    { operation: 'cloudwatch:GetMetricData', made: made('cloudwatch:GetMetricData'), minimum: 1, why: 'one call for every Bedrock model (<= 500 queries a call)' },
    { operation: 'cloudwatch:DescribeAlarms', made: made('cloudwatch:DescribeAlarms'), minimum: 1, why: 'the client\'s alarms by name prefix (one page)' },
    { operation: 'cloudwatch:DescribeAlarmHistory', made: made('cloudwatch:DescribeAlarmHistory'), minimum: alarmNames.length, why: `one per alarm (${alarmNames.length}): the API takes no name prefix, and reading every alarm's history of the account would need a wider grant` },
    { operation: 'ce:GetCostAndUsage', made: made('ce:GetCostAndUsage'), minimum: 1, why: 'the month\'s billed Bedrock spend (one page)' },
  ];
  const gbScanned = (current.queryCost?.logsInsightsGbScanned ?? 0) + (previous.queryCost?.logsInsightsGbScanned ?? 0);
  return { counts, gbScanned, alarms: alarmNames.length };
}
