import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Aws, Duration, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { REPORT_ENV, STAGED_CONFIG_FILE, StagedReportConfig } from './report-function';
import { acknowledgeFinding } from '../acknowledge';
import { AlarmFactory, SloAlarm } from '../common/alarm-factory';
import { SloAlarmKind } from '../common/alarm-kinds';
import { IAlarmRouter } from '../common/alarm-router';
import {
  acknowledgeNoDeadLetterQueue, acknowledgeNoReplication, acknowledgeOutsideVpc, acknowledgeS3ManagedEncryption,
} from '../compliance/acknowledgements';
import { ManagedPolicyRole } from '../compliance/managed-policy-role';
import { REPORT_DEFAULTS } from '../config/defaults';
import { ClientConfig, ReportConfig } from '../config/types';
import { PriceCatalog } from '../pricing/price-catalog';

/** Properties of `GovernanceReport`. */
export interface GovernanceReportProps {
  /** The validated client config; its `reports` section sets the schedule, recipients and retention. */
  readonly config: ClientConfig;
  /** Customer-managed key of the report bucket, the topic and the function's logs. */
  readonly encryptionKey: kms.IKey;
  /** Delivers the alarm on failed runs (P2). */
  readonly alarmRouter: IAlarmRouter;
  /**
   * Prices the report costs calls with; the config's `priceOverrides` are applied on top.
   * @default PriceCatalog.builtIn()
   */
  readonly priceCatalog?: PriceCatalog;
}

/** How long the report bucket keeps what the report's retention does not cover. */
const REPORT_BUCKET = {
  /** Older versions of a rewritten report. */
  NONCURRENT_DAYS: 30,
  /** Server access logs of the report bucket. */
  ACCESS_LOG_DAYS: 365,
} as const;

/** The report's settings with every default applied. */
export function reportSettings(reports: ReportConfig) {
  return {
    dayOfMonth: reports.dayOfMonth ?? REPORT_DEFAULTS.dayOfMonth,
    hour: reports.hour ?? REPORT_DEFAULTS.hour,
    timeZone: reports.timeZone ?? REPORT_DEFAULTS.timeZone,
    quarterlyReview: reports.quarterlyReview ?? REPORT_DEFAULTS.quarterlyReview,
    retentionDays: reports.retentionDays ?? REPORT_DEFAULTS.retentionDays,
  };
}

/** Managed policies hold 6,144 characters: this many log group ARNs per policy stays well within. */
const LOG_GROUPS_PER_POLICY = 40;

/** The bundled handler (see projenrc/bundle-lambdas.ts). */
const BUNDLED_HANDLER = path.join(__dirname, '..', '..', 'assets', 'lambda', 'governance-report', 'index.js');

/**
 * The bundled handler with the client's config and prices staged beside it, as the function's
 * code asset (the asset hash follows both, so a config change redeploys the function).
 */
function stagedCode(staged: StagedReportConfig): lambda.Code {
  if (!fs.existsSync(BUNDLED_HANDLER)) {
    throw new Error(`GovernanceReport: ${BUNDLED_HANDLER} is missing; run \`npx projen bundle\` to build the Lambda handlers`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-governance-report-'));
  fs.copyFileSync(BUNDLED_HANDLER, path.join(dir, 'index.js'));
  fs.writeFileSync(path.join(dir, STAGED_CONFIG_FILE), JSON.stringify(staged));
  return lambda.Code.fromAsset(dir);
}

/**
 * The monthly governance report (and the quarterly architecture review): EventBridge Scheduler
 * schedules in the config's time zone invoke a function that reads the month's telemetry with
 * Logs Insights, AWS/Bedrock metrics, alarm history and Cost Explorer, writes the report to an
 * encrypted bucket under `reports/<period>/`, mails the summary through an SNS topic (and the HTML
 * report through SES where configured). A failed run is a P2 alarm routed like every other.
 */
export class GovernanceReport extends Construct {
  public readonly bucket: s3.Bucket;
  /** Receives the server access logs of `bucket`. */
  public readonly accessLogsBucket: s3.Bucket;
  /** The summary goes here; the recipients are subscribed by email. */
  public readonly topic: sns.Topic;
  public readonly function: lambda.Function;
  public readonly monthlySchedule: scheduler.Schedule;
  /** @default - none when `quarterlyReview` is false */
  public readonly quarterlySchedule?: scheduler.Schedule;
  /** P2 when a run fails. */
  public readonly failedRun: SloAlarm;

  public constructor(scope: Construct, id: string, props: GovernanceReportProps) {
    super(scope, id);
    const { config, encryptionKey } = props;
    if (!config.reports) {
      throw new Error(`GovernanceReport at ${this.node.path}: the config of client ${config.clientId} has no \`reports\` section; add one (recipients at least) or leave the report out`);
    }
    const settings = reportSettings(config.reports);
    const clientId = config.clientId;
    const functionName = `${clientId}-governance-report`;

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      // S3 server access logging delivers only to buckets encrypted with S3-managed keys.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // Object ownership is left to aws-cdk-lib: log delivery by bucket policy or ACL, per the app's feature flag.
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(REPORT_BUCKET.ACCESS_LOG_DAYS), noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeFinding(this.accessLogsBucket, 'AwsSolutions-S1', 'This bucket receives the report bucket\'s server access logs; logging it to itself would loop.');
    acknowledgeS3ManagedEncryption(this.accessLogsBucket, 'S3 server access logging delivers only to a target bucket encrypted with S3-managed keys (SSE-S3), not SSE-KMS.');
    acknowledgeNoReplication(this.accessLogsBucket, 'Server access logs of the report bucket, kept for investigation only (S3 delivers them best effort; they are no '
      + 'system of record); versioned and retained in the client\'s region, where a replica elsewhere would take them out of it.');

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'reports/',
      lifecycleRules: [{
        expiration: Duration.days(settings.retentionDays),
        noncurrentVersionExpiration: Duration.days(REPORT_BUCKET.NONCURRENT_DAYS),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNoReplication(this.bucket, 'The reports are derived documents: a run of the function for a period rebuilds them (runbook) from the telemetry '
      + 'logs, CloudWatch metrics and Cost Explorer. Versioning, RETAIN and the client key protect them in the client\'s region; a replica in '
      + 'another region would be a second copy of tenant cost data outside it.');

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `${clientId}-ai-ops-reports`,
      displayName: `cdk-ai-ops ${clientId} governance reports`,
      masterKey: encryptionKey,
      enforceSSL: true,
    });
    for (const address of config.reports.recipients) {
      const subscription = this.topic.addSubscription(new subscriptions.EmailSubscription(address));
      acknowledgeFinding(subscription, 'Serverless-SNSRedrivePolicy',
        'A summary email SNS cannot deliver loses nothing: the report stays in the bucket, and a run with "force": true sends the summary again.');
    }

    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      encryptionKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts this one log group with the client key (a key passed in is the caller's to grant).
    encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchLogsEncryptsGovernanceReportLogs',
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:/aws/lambda/${functionName}` } },
    }));

    const role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `cdk-ai-ops ${clientId}: the governance report function`,
    });
    this.grantReading(role, config);
    role.addToPolicy(new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    role.addToPolicy(new iam.PolicyStatement({ sid: 'WriteReports', actions: ['s3:PutObject', 's3:GetObject'], resources: [this.bucket.arnForObjects('reports/*')] }));
    const bucketId = Stack.of(this).resolve((this.bucket.node.defaultChild as s3.CfnBucket).logicalId);
    acknowledgeFinding(role.policy, `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/reports/*]`,
      'The report files of each period under reports/<period>/: written by this function only, named at run time.');
    // Without ListBucket, S3 answers 403 rather than 404 for the "already notified" marker that is not there yet.
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'FindOwnReports', actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn], conditions: { StringLike: { 's3:prefix': ['reports/*'] } },
    }));
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'UseClientKeyForReportsAndTopic', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [encryptionKey.keyArn],
    }));
    role.addToPolicy(new iam.PolicyStatement({ sid: 'PublishSummary', actions: ['sns:Publish'], resources: [this.topic.topicArn] }));
    const from = config.reports.sesFromAddress;
    if (from) {
      const identity = (name: string) => `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:identity/${name}`;
      // SES authorizes against the identity that is verified: the address itself or its domain.
      role.addToPolicy(new iam.PolicyStatement({
        sid: 'SendHtmlReport', actions: ['ses:SendEmail'], resources: [identity(from), identity(from.split('@')[1])],
      }));
    }

    const basePrices = props.priceCatalog ?? PriceCatalog.builtIn();
    this.function = new lambda.Function(this, 'Function', {
      functionName,
      description: `cdk-ai-ops ${clientId}: the monthly governance report and quarterly architecture review`,
      role,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: stagedCode({ config, prices: basePrices.prices() }),
      // Logs Insights over a month of a large client's telemetry takes minutes a query; Lambda's maximum.
      timeout: Duration.minutes(15),
      // 50,000 tenants' rows, the rendered files and the HTML charts in memory, with room; more memory is also more CPU.
      memorySize: 1024,
      // One run at a time: two runs of a period would race on its keys and its notification.
      reservedConcurrentExecutions: 1,
      // A failed run alarms (P2) and is rerun by hand; an automatic retry would hit the same throttled source.
      retryAttempts: 0,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      environment: {
        [REPORT_ENV.BUCKET_NAME]: this.bucket.bucketName,
        [REPORT_ENV.TOPIC_ARN]: this.topic.topicArn,
      },
    });
    const noQueue = 'A failed run raises the P2 alarm on the function\'s errors; its event ({} or a period) is rebuilt by hand from the runbook, so a queue would hold nothing to redrive.';
    acknowledgeNoDeadLetterQueue(this.function, noQueue);
    acknowledgeFinding(this.function, 'Serverless-LambdaAsyncFailureDestination', noQueue);
    acknowledgeOutsideVpc(this.function, 'It calls only AWS APIs over TLS, IAM-authorized (CloudWatch Logs Insights and metrics, Cost Explorer, S3, SNS, SES); '
      + 'it accepts no inbound connection, and the reports it writes are encrypted with the client key in S3, so a VPC would add a NAT path for the same calls.');
    acknowledgeFinding(role.policy, 'AwsSolutions-IAM5[Resource::*]',
      'X-Ray tracing, logs:GetQueryResults, logs:StopQuery, cloudwatch:GetMetricData and ce:GetCostAndUsage support no resource-level permissions; all but StopQuery (of its own queries) read only.');

    const timeZone = TimeZone.of(settings.timeZone);
    const schedulerRole = new ManagedPolicyRole(this, 'SchedulerRole', {
      description: `cdk-ai-ops ${clientId}: EventBridge Scheduler invokes the governance report function`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
    });
    const target = (input: Record<string, string>) => new schedulerTargets.LambdaInvoke(this.function, {
      input: scheduler.ScheduleTargetInput.fromObject(input),
      role: schedulerRole,
      // Retries of the invocation request only; the function runs at most once per schedule.
      retryAttempts: 2,
    });
    this.monthlySchedule = new scheduler.Schedule(this, 'MonthlySchedule', {
      scheduleName: `${clientId}-governance-report-monthly`,
      description: `cdk-ai-ops ${clientId}: the previous month's governance report, day ${settings.dayOfMonth} at ${settings.hour}:00 ${settings.timeZone}`,
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: String(settings.hour), day: String(settings.dayOfMonth), timeZone }),
      target: target({}),
    });
    if (settings.quarterlyReview) {
      this.quarterlySchedule = new scheduler.Schedule(this, 'QuarterlySchedule', {
        scheduleName: `${clientId}-governance-report-quarterly`,
        description: `cdk-ai-ops ${clientId}: the previous quarter's architecture review, day ${settings.dayOfMonth} of Jan, Apr, Jul, Oct at ${settings.hour}:00 ${settings.timeZone}`,
        schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: String(settings.hour), day: String(settings.dayOfMonth), month: '1,4,7,10', timeZone }),
        target: target({ quarter: 'last' }),
      });
    }

    const functionId = Stack.of(this).resolve((this.function.node.defaultChild as lambda.CfnFunction).logicalId);
    acknowledgeFinding(schedulerRole.policy, `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      'Invoke permission on the report function\'s versions and aliases, as lambda.grantInvoke writes it; nothing else.');

    this.failedRun = new AlarmFactory({ clientId, router: props.alarmRouter, runbookBaseUrl: config.runbookBaseUrl }).addAlarm(this, 'FailedRunAlarm', {
      kind: SloAlarmKind.GOVERNANCE_REPORT_FAILED,
      metric: this.function.metricErrors({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      what: `a run of the governance report of client ${clientId} failed: no report was produced for its period`,
      condition: `the function ${functionName} reported at least one error in an hour`,
      owner: 'the on-call of the client',
    });
  }

  /** Logs Insights on the client's telemetry log groups only, metrics, the client's alarms, Cost Explorer. */
  private grantReading(role: ManagedPolicyRole, config: ClientConfig): void {
    const clientId = config.clientId;
    const logGroups = [...new Set(config.agents.flatMap((agent) => agent.logGroups))];
    for (let i = 0; i < logGroups.length; i += LOG_GROUPS_PER_POLICY) {
      const part = logGroups.slice(i, i + LOG_GROUPS_PER_POLICY);
      const policy = new iam.ManagedPolicy(this, i === 0 ? 'QueryPolicy' : `QueryPolicy${i / LOG_GROUPS_PER_POLICY + 1}`, {
        description: `cdk-ai-ops ${clientId}: the governance report queries the agents' telemetry log groups`,
        roles: [role],
        statements: [new iam.PolicyStatement({
          sid: 'QueryTelemetryLogs',
          actions: ['logs:StartQuery'],
          resources: part.map((name) => `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${name}:*`),
        })],
      });
      for (const name of part) {
        acknowledgeFinding(policy, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:${name}:*]`,
          'One telemetry log group of the client, as the ARN Logs Insights authorizes StartQuery against (the group and its streams).');
      }
    }
    role.addToPolicy(new iam.PolicyStatement({
      sid: 'ReadQueryResultsMetricsAndCost',
      // None of these supports resource-level permissions.
      actions: ['logs:GetQueryResults', 'logs:StopQuery', 'cloudwatch:GetMetricData', 'ce:GetCostAndUsage'],
      resources: ['*'],
    }));
    const alarms = `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:${clientId}-*`;
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadOwnAlarmHistory', actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'], resources: [alarms] }));
    acknowledgeFinding(role.policy, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:${clientId}-*]`,
      'Every alarm of this client, and only those, is named with the client id as prefix; read-only actions.');
  }
}
