import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidReportEvent, parseReportEvent } from '../../lambda/governance-report/core';
import { createHandler, ReportDependencies } from '../../lambda/governance-report/handler';
import { ClientConfig } from '../../lib/config/types';
import { PriceCatalog } from '../../lib/pricing';
import { ReportSource } from '../../lib/reporting/aggregates';
import { EmfAggregator } from '../../lib/reporting/emf-aggregator';
import { parsePeriod, previousPeriod } from '../../lib/reporting/period';
import { REPORT_ENV } from '../../lib/reporting/report-function';
import { exampleConfig } from '../support/example';
import { FakeLogsInsights, FakeRecord } from '../support/fake-logs-insights';
import { syntheticTelemetry } from '../support/report-telemetry';

const BUCKET = 'example-reports';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:example-ai-ops-reports';

/** The synthetic September and October of the example client, as records in the agents' log groups. */
function telemetry(config: ClientConfig): { records: FakeRecord[]; lines: string[] } {
  const groupOf = new Map(config.agents.map((agent) => [agent.id, agent.logGroups[0]]));
  const records: FakeRecord[] = [];
  const lines: string[] = [];
  syntheticTelemetry((line) => {
    lines.push(line);
    const r = JSON.parse(line) as Record<string, unknown> & { _aws: { Timestamp: number } };
    records.push({ ...r, logGroup: groupOf.get(String(r.agent))!, at: r._aws.Timestamp } as unknown as FakeRecord);
  }, { tenants: 50 });
  return { records, lines };
}

const TELEMETRY = telemetry(exampleConfig());

interface World {
  readonly deps: ReportDependencies;
  readonly objects: Map<string, { body: string; contentType?: string }>;
  readonly sns: ReturnType<typeof mockClient>;
  readonly ses: ReturnType<typeof mockClient>;
  readonly s3: ReturnType<typeof mockClient>;
  readonly logs: FakeLogsInsights;
}

function world(now: string, config: ClientConfig = exampleConfig()): World {
  const logs = new FakeLogsInsights(TELEMETRY.records);
  logs.runningPolls = 0;
  const cloudwatchClient = new CloudWatchClient({});
  const cloudwatch = mockClient(cloudwatchClient);
  cloudwatch.on(DescribeAlarmsCommand).resolves({});
  cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
  const ceClient = new CostExplorerClient({});
  mockClient(ceClient).on(GetCostAndUsageCommand).resolves({ ResultsByTime: [{ Total: { UnblendedCost: { Amount: '1000', Unit: 'USD' } } }] });
  const objects = new Map<string, { body: string; contentType?: string }>();
  const s3Client = new S3Client({});
  const s3 = mockClient(s3Client);
  s3.on(PutObjectCommand).callsFake((input) => {
    objects.set(`${input.Bucket}/${input.Key}`, { body: String(input.Body), contentType: input.ContentType });
    return {};
  });
  s3.on(HeadObjectCommand).callsFake((input) => {
    if (objects.has(`${input.Bucket}/${input.Key}`)) return {};
    throw Object.assign(new Error('Not Found'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });
  });
  const snsClient = new SNSClient({});
  const sns = mockClient(snsClient);
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  const sesClient = new SESv2Client({});
  const ses = mockClient(sesClient);
  ses.on(SendEmailCommand).resolves({ MessageId: 'e-1' });
  const deps: ReportDependencies = {
    logs: logs.client,
    cloudwatch: cloudwatchClient,
    costExplorer: ceClient,
    s3: s3Client,
    sns: snsClient,
    ses: sesClient,
    staged: () => ({ config, prices: PriceCatalog.builtIn().prices() }),
    env: { [REPORT_ENV.BUCKET_NAME]: BUCKET, [REPORT_ENV.TOPIC_ARN]: TOPIC, AWS_REGION: 'eu-west-1' },
    now: () => new Date(now),
    sleep: async () => undefined,
    random: () => 0.5,
  };
  return { deps, objects, sns, ses, s3, logs };
}

const context = { getRemainingTimeInMillis: () => 14 * 60_000 };

describe('the report function', () => {
  test('writes every file under reports/<period>/ and notifies once; a rerun rewrites the same keys silently; force notifies again', async () => {
    // GIVEN
    const w = world('2026-11-02T08:00:00Z');
    const handler = createHandler(w.deps);
    // WHEN
    const first = await handler({ period: '2026-10' }, context);
    // THEN
    expect(first.notified).toBe(true);
    expect(first.keys).toEqual(expect.arrayContaining(['reports/2026-10/report.md', 'reports/2026-10/report.html', 'reports/2026-10/report.json', 'reports/2026-10/by-tenant.csv']));
    expect(first.keys.every((key) => key.startsWith('reports/2026-10/'))).toBe(true);
    expect(w.sns.commandCalls(PublishCommand)).toHaveLength(1);
    const publish = w.sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(publish.TopicArn).toBe(TOPIC);
    expect(publish.Subject).toBe('AI spend report 2026-10: Example Support Co.');
    expect(publish.Message).toContain(`s3://${BUCKET}/reports/2026-10/`);
    expect(publish.Message).toContain('https://eu-west-1.console.aws.amazon.com/s3/buckets/example-reports?region=eu-west-1&prefix=reports%2F2026-10%2F');
    // The example config names an SES sender: the report goes by email to the recipients too.
    const email = w.ses.commandCalls(SendEmailCommand)[0].args[0].input;
    expect(email.FromEmailAddress).toBe('reports@example.com');
    expect(email.Destination!.ToAddresses).toEqual(['finance@example.com', 'support-ai@example.com']);
    expect(email.Content!.Simple!.Body!.Text!.Data).toBe(publish.Message);
    expect(email.Content!.Simple!.Body!.Html!.Data).toBe(w.objects.get(`${BUCKET}/reports/2026-10/report.html`)!.body);
    expect(w.objects.get(`${BUCKET}/reports/2026-10/report.html`)!.contentType).toMatch(/^text\/html/);
    expect(w.objects.has(`${BUCKET}/reports/2026-10/.notified`)).toBe(true);
    const json = JSON.parse(w.objects.get(`${BUCKET}/reports/2026-10/report.json`)!.body);
    expect(json.period).toBe('2026-10');
    expect(w.objects.get(`${BUCKET}/reports/2026-10/report.json`)!.contentType).toBe('application/json');

    // WHEN rerun: same keys, no second notification
    const rerun = await handler({ period: '2026-10' }, context);
    expect(rerun.keys).toEqual(first.keys);
    expect(rerun.notified).toBe(false);
    expect(w.sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(w.ses.commandCalls(SendEmailCommand)).toHaveLength(1);

    // WHEN forced
    const forced = await handler({ period: '2026-10', force: true }, context);
    expect(forced.notified).toBe(true);
    expect(w.sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  test('the Lambda path and the local command give the same totals to the cent from the same telemetry', async () => {
    const w = world('2026-11-02T08:00:00Z');
    await createHandler(w.deps)({}, context);
    const json = JSON.parse(w.objects.get(`${BUCKET}/reports/2026-10/report.json`)!.body);
    const october = parsePeriod('2026-10');
    const local = new EmfAggregator(october, previousPeriod(october));
    for (const line of TELEMETRY.lines) local.add(line);
    const offline = local.result().current;
    const cost = offline.daily.reduce((s, d) => s + d.costUsd, 0);
    const calls = offline.daily.reduce((s, d) => s + d.calls, 0);
    expect(json.totals.calls).toBe(calls);
    expect(Math.round(json.totals.costUsd * 100)).toBe(Math.round(cost * 100));
    const tenantCents = json.byTenant.reduce((s: number, t: { costUsd: number }) => s + Math.round(t.costUsd * 100), 0);
    expect(json.byTenant).toHaveLength(offline.tenants.length);
    expect(Math.abs(tenantCents - Math.round(cost * 100))).toBeLessThanOrEqual(1);
  });

  test('a quarter gathers the quarter, the quarter before and its three months', async () => {
    const w = world('2026-10-02T08:00:00Z');
    const result = await createHandler(w.deps)({ quarter: '2026-Q3' }, context);
    expect(result.period).toBe('2026-Q3');
    const usageRanges = new Set(w.logs.started.filter((q) => q.queryString.includes('by day')).map((q) => /toMillis\(@timestamp\) >= (\d+)/.exec(q.queryString)![1]));
    const starts = ['2026-07-01', '2026-04-01', '2026-08-01', '2026-09-01'].map((d) => String(Date.parse(`${d}T00:00:00Z`)));
    for (const start of starts) expect(usageRanges).toContain(start);
    const json = JSON.parse(w.objects.get(`${BUCKET}/reports/2026-Q3/report.json`)!.body);
    expect(json.periodKind).toBe('quarter');
    expect(w.sns.commandCalls(PublishCommand)[0].args[0].input.Subject).toBe('Quarterly architecture review 2026-Q3: Example Support Co.');
  });

  test('the scheduled events: {} is the last full month, {"quarter":"last"} the last full quarter', () => {
    expect(parseReportEvent({}, new Date('2026-11-02T08:00:00Z')).period.id).toBe('2026-10');
    expect(parseReportEvent({ quarter: 'last' }, new Date('2027-01-02T08:00:00Z'))).toEqual(expect.objectContaining({
      period: parsePeriod('2026-Q4'), previous: parsePeriod('2026-Q3'), months: [parsePeriod('2026-10'), parsePeriod('2026-11'), parsePeriod('2026-12')], force: false,
    }));
  });

  test.each([
    ['a month that does not exist', { period: '2026-13' }, /"2026-13" is not a period: use a month such as 2026-10/],
    ['a quarter as a period', { period: '2026-Q4' }, /use "quarter" for 2026-Q4/],
    ['an unknown key', { month: '2026-10' }, /unknown key "month"/],
    ['both period and quarter', { period: '2026-10', quarter: '2026-Q4' }, /give "period" or "quarter", not both/],
    ['force that is not a boolean', { period: '2026-10', force: 'yes' }, /"force" must be true or false/],
    ['a period not over yet', { period: '2026-11' }, /2026-11 ends 2026-12-01T00:00:00.000Z, after now/],
    ['not an object', 'october', /invalid event "october"/],
  ])('an invalid event fails with a clear error: %s', async (_name, event, message) => {
    const w = world('2026-11-02T08:00:00Z');
    const run = createHandler(w.deps)(event, context);
    await expect(run).rejects.toThrow(InvalidReportEvent);
    await expect(createHandler(w.deps)(event, context)).rejects.toThrow(message);
    expect(w.logs.started).toHaveLength(0);
  });

  test('P2 path: with Logs Insights throttled for good the report is still written and sent, then the run fails (the Errors alarm fires)', async () => {
    const w = world('2026-11-02T08:00:00Z');
    const logsClient = new CloudWatchLogsClient({});
    mockClient(logsClient).on(StartQueryCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const run = createHandler({ ...w.deps, logs: logsClient })({ period: '2026-10' }, context);
    await expect(run).rejects.toThrow(/the report for 2026-10 was written to s3:\/\/example-reports\/reports\/2026-10\/ without usage data: logs:StartQuery was still throttled after 8 attempts/);
    const json = JSON.parse(w.objects.get(`${BUCKET}/reports/2026-10/report.json`)!.body);
    const incomplete = json.sections.filter((s: { complete: boolean }) => !s.complete);
    expect(incomplete.length).toBeGreaterThan(0);
    expect(JSON.stringify(incomplete)).toContain('still throttled');
    expect(w.sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  test('P2 path: a bucket that refuses the write fails the run and notifies no one', async () => {
    const w = world('2026-11-02T08:00:00Z');
    w.s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect(createHandler(w.deps)({ period: '2026-10' }, context)).rejects.toThrow('Access Denied');
    expect(w.sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  test('a failed source leaves its sections incomplete with the reason, and the run still succeeds', async () => {
    const w = world('2026-11-02T08:00:00Z');
    const ceClient = new CostExplorerClient({});
    mockClient(ceClient).on(GetCostAndUsageCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const result = await createHandler({ ...w.deps, costExplorer: ceClient })({ period: '2026-10' }, context);
    expect(result.notified).toBe(true);
    const json = JSON.parse(w.objects.get(`${BUCKET}/reports/2026-10/report.json`)!.body);
    expect(JSON.stringify(json.sections)).toContain('ce:GetCostAndUsage failed: AccessDeniedException: not authorized');
    expect(ReportSource.BILLING).toBe('billing');
  });
});
