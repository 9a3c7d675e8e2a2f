/*
 * The governance report function: gathers the period's aggregates (and the previous period's, and
 * a quarter's months), builds and renders the report, writes every file to
 * s3://<bucket>/reports/<period>/<name>, and notifies once per period: the plain-text summary to
 * the reports topic and, where the config names an SES sender, the HTML report by email.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { notifiedMarkerKey, parseReportEvent, reportKey } from './core';
import { gatherPeriod, PREVIOUS_PERIOD_SOURCES, SourceClients, SourceOptions, TREND_SOURCES } from './sources';
import { PriceCatalog } from '../../lib/pricing/price-catalog';
import { PeriodAggregates, ReportPeriod, ReportSource } from '../../lib/reporting/aggregates';
import { buildReport } from '../../lib/reporting/core';
import { renderReport, summaryText } from '../../lib/reporting/render';
import { REPORT_ENV, STAGED_CONFIG_FILE, StagedReportConfig } from '../../lib/reporting/report-function';

export interface ReportDependencies extends SourceClients {
  readonly s3: Pick<S3Client, 'send'>;
  readonly sns: Pick<SNSClient, 'send'>;
  readonly ses: Pick<SESv2Client, 'send'>;
  readonly staged: () => StagedReportConfig;
  readonly env: Record<string, string | undefined>;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/** What Lambda passes as the context, as far as the function reads it. */
export interface ReportContext {
  getRemainingTimeInMillis(): number;
}

export interface ReportRunResult {
  readonly period: string;
  readonly keys: string[];
  /** Whether this run sent the notification (false: the period was notified before and not forced). */
  readonly notified: boolean;
}

/** Time kept back from the function's timeout to write and notify what was gathered. */
const WRITE_MARGIN_MS = 90_000;
/** SNS subjects hold at most 100 characters. */
const SUBJECT_LIMIT = 100;

function required(env: Record<string, string | undefined>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set: the function is deployed by the GovernanceReport construct, which sets it`);
  return value;
}

async function exists(s3: Pick<S3Client, 'send'>, Bucket: string, Key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket, Key }));
    return true;
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

export function createHandler(deps: ReportDependencies) {
  return async (event: unknown, context?: ReportContext): Promise<ReportRunResult> => {
    const started = deps.now();
    const request = parseReportEvent(event, started);
    const bucket = required(deps.env, REPORT_ENV.BUCKET_NAME);
    const topicArn = required(deps.env, REPORT_ENV.TOPIC_ARN);
    const { config, prices } = deps.staged();
    const catalog = new PriceCatalog(prices, config.priceOverrides ?? []);
    const options: SourceOptions = {
      sleep: deps.sleep,
      random: deps.random,
      now: deps.now,
      deadlineMs: started.getTime() + (context ? context.getRemainingTimeInMillis() - WRITE_MARGIN_MS : 10 * 60_000),
    };
    // One period at a time: each runs up to four Logs Insights queries at once.
    const gather = (period: ReportPeriod, needs?: ReadonlySet<ReportSource>) => gatherPeriod(deps, options, config, period, needs);
    const current = await gather(request.period);
    // The period before and a quarter's months are read only for what the report uses of them.
    const previous = await gather(request.previous, PREVIOUS_PERIOD_SOURCES);
    const months: PeriodAggregates[] = [];
    for (const month of request.months) months.push(await gather(month, TREND_SOURCES));

    const report = buildReport({ config, catalog, current, previous, months: months.length ? months : undefined, generatedAt: started });
    const files = await renderReport(report);
    const keys: string[] = [];
    for (const file of files) {
      const Key = reportKey(request.period.id, file.name);
      await deps.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: file.body, ContentType: file.contentType }));
      keys.push(Key);
    }

    const marker = notifiedMarkerKey(request.period.id);
    const notify = request.force || !(await exists(deps.s3, bucket, marker));
    if (notify) {
      const region = deps.env.AWS_REGION ?? 'us-east-1';
      const prefix = reportKey(request.period.id, '');
      const text = summaryText(report, {
        s3Uri: `s3://${bucket}/${prefix}`,
        consoleUrl: `https://${region}.console.aws.amazon.com/s3/buckets/${bucket}?region=${region}&prefix=${encodeURIComponent(prefix)}`,
      });
      const subject = `${report.periodKind === 'quarter' ? 'Quarterly architecture review' : 'AI spend report'} ${report.period}: ${config.displayName}`;
      await deps.sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject.slice(0, SUBJECT_LIMIT).replace(/[\r\n]/g, ' '), Message: text }));
      const from = config.reports?.sesFromAddress;
      const html = files.find((f) => f.name === 'report.html');
      if (from) {
        await deps.ses.send(new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: config.reports!.recipients },
          Content: {
            Simple: {
              Subject: { Data: subject, Charset: 'UTF-8' },
              Body: { Text: { Data: text, Charset: 'UTF-8' }, ...(html ? { Html: { Data: html.body, Charset: 'UTF-8' } } : {}) },
            },
          },
        }));
      }
      await deps.s3.send(new PutObjectCommand({
        Bucket: bucket,
        Key: marker,
        ContentType: 'application/json',
        Body: JSON.stringify({ notifiedAt: deps.now().toISOString(), forced: request.force }),
      }));
    }

    // Written and sent, yet without usage data the report cannot answer its question: fail the run so the P2 alarm fires.
    const usage = current.sources[ReportSource.USAGE];
    if (!usage.complete) {
      throw new Error(`the report for ${request.period.id} was written to s3://${bucket}/${reportKey(request.period.id, '')} without usage data: ${usage.reason}`);
    }
    return { period: request.period.id, keys, notified: notify };
  };
}

function stagedConfig(): StagedReportConfig {
  return JSON.parse(fs.readFileSync(path.join(__dirname, STAGED_CONFIG_FILE), 'utf8')) as StagedReportConfig;
}

// SDK retries are off: the sources retry throttling themselves, with jitter, and count every call.
const sdk = { maxAttempts: 1 };
export const handler = createHandler({
  logs: new CloudWatchLogsClient(sdk),
  cloudwatch: new CloudWatchClient(sdk),
  // Cost Explorer's endpoint is in us-east-1 whatever the function's region.
  costExplorer: new CostExplorerClient({ ...sdk, region: 'us-east-1' }),
  s3: new S3Client({}),
  sns: new SNSClient({}),
  ses: new SESv2Client({}),
  staged: stagedConfig,
  env: process.env,
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
});

