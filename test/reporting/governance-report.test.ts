import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ClientConfigLoader } from '../../lib/config';
import { ClientConfigError } from '../../lib/config/loader';
import { ClientConfig } from '../../lib/config/types';
import { AiOps } from '../../lib/facade';
import { PriceCatalog } from '../../lib/pricing';
import { GovernanceReport } from '../../lib/reporting';
import { STAGED_CONFIG_FILE } from '../../lib/reporting/report-function';
import { SnsSeverityRouter } from '../../lib/routing/router';
import { exampleConfig, exampleStack, newApp } from '../support/example';
import { rendered } from '../support/templates';

/** The construct alone, in a minimal scope: a stack, a key and the plain severity router. */
function minimal(config: ClientConfig = exampleConfig()) {
  const app = newApp();
  const stack = new Stack(app, 'Minimal');
  const key = new kms.Key(stack, 'Key');
  const router = new SnsSeverityRouter(stack, 'Router', { clientId: config.clientId, encryptionKey: key });
  const report = new GovernanceReport(stack, 'Report', { config, encryptionKey: key, alarmRouter: router });
  return { app, stack, key, router, report, template: Template.fromStack(stack) };
}

function statementsOf(template: Template, type: string, match: string): any[] {
  return Object.entries(template.findResources(type))
    .filter(([id]) => id.includes(match))
    .flatMap(([, r]: [string, any]) => r.Properties.PolicyDocument.Statement);
}

describe('GovernanceReport', () => {
  test('schedules the monthly report and the quarterly review in the config\'s time zone, with their payloads', () => {
    const { template } = minimal();
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'example-governance-report-monthly',
      ScheduleExpression: 'cron(0 9 2 * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({ Input: '{}', RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 2 } }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'example-governance-report-quarterly',
      ScheduleExpression: 'cron(0 9 2 1,4,7,10 ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      Target: Match.objectLike({ Input: '{"quarter":"last"}' }),
    });
  });

  test('defaults: day 1 at 08:00 UTC; quarterlyReview: false leaves the quarterly schedule out', () => {
    const config = exampleConfig();
    const { template } = minimal({ ...config, reports: { recipients: ['finance@example.com'], quarterlyReview: false } });
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 8 1 * ? *)', ScheduleExpressionTimezone: 'UTC' });
  });

  test('the report bucket: client key, versioned, TLS only, no public access, access logs, lifecycle from retentionDays', () => {
    const { template, stack, key } = minimal();
    const keyId = stack.resolve(key.keyArn);
    const logsBucket = Object.keys(template.findResources('AWS::S3::Bucket')).find((id) => id.includes('AccessLogs'))!;
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyId } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: logsBucket }, LogFilePrefix: 'reports/' },
      LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 730, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }] },
    });
    // Both buckets refuse plain HTTP.
    const tlsDenials = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter((p: any) => p.Properties.PolicyDocument.Statement.some(
      (s: any) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'));
    expect(tlsDenials).toHaveLength(2);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365 })] },
    });
  });

  test('the function: newest Node.js, one run at a time, 15 minutes, 1 GB, the config staged beside the handler', () => {
    const { template, app } = minimal();
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'example-governance-report',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      ReservedConcurrentExecutions: 1,
      Timeout: 900,
      MemorySize: 1024,
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: { REPORT_BUCKET_NAME: Match.anyValue(), REPORT_TOPIC_ARN: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
    // The staged config in the function's asset is the validated config, with the catalog's prices.
    const fn: any = Object.values(template.findResources('AWS::Lambda::Function')).find((r: any) => r.Properties.FunctionName === 'example-governance-report');
    const assembly = app.synth();
    const hash = JSON.stringify(fn.Properties.Code).match(/([0-9a-f]{64})\.zip/)![1];
    const dir = path.join(assembly.directory, `asset.${hash}`);
    expect(fs.readdirSync(dir).sort()).toEqual(['client-config.json', 'index.js']);
    const staged = JSON.parse(fs.readFileSync(path.join(dir, STAGED_CONFIG_FILE), 'utf8'));
    expect(staged.config).toEqual(JSON.parse(JSON.stringify(exampleConfig())));
    expect(staged.prices).toEqual(JSON.parse(JSON.stringify(PriceCatalog.builtIn().prices())));
    // Nothing of the config in the environment: it would not fit Lambda's 4 KB for a big client.
    expect(JSON.stringify(fn.Properties.Environment)).not.toContain('support-triage-fn');
  });

  test('IAM is exactly scoped: queries on the telemetry log groups only, own alarms, own prefix, own topic, the SES identity', () => {
    const { template } = minimal();
    const queries = statementsOf(template, 'AWS::IAM::ManagedPolicy', 'QueryPolicy');
    expect(queries).toHaveLength(1);
    expect(queries[0].Action).toBe('logs:StartQuery');
    expect(queries[0].Resource.map(rendered).sort()).toEqual([
      'arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/support-answer-fn:*',
      'arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/support-qa-fn:*',
      'arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/support-triage-fn:*',
      'arn:aws:logs:us-east-1:111122223333:log-group:/ecs/kb-retrieval-service:*',
    ]);
    const statements = statementsOf(template, 'AWS::IAM::ManagedPolicy', 'ReportRolePolicy');
    const bySid = Object.fromEntries(statements.filter((s) => s.Sid).map((s) => [s.Sid, s]));
    expect(Object.keys(bySid).sort()).toEqual([
      'FindOwnReports', 'PublishSummary', 'ReadOwnAlarmHistory', 'ReadQueryResultsMetricsAndCost', 'SendHtmlReport', 'UseClientKeyForReportsAndTopic', 'WriteOwnLogs', 'WriteReports',
    ]);
    // X-Ray's statement has no Sid.
    const sorted = (actions: string | string[]) => [actions].flat().sort();
    expect(statements.filter((s) => !s.Sid).map((s) => sorted(s.Action))).toEqual([['xray:PutTelemetryRecords', 'xray:PutTraceSegments']]);
    expect(sorted(bySid.ReadQueryResultsMetricsAndCost.Action)).toEqual(['ce:GetCostAndUsage', 'cloudwatch:GetMetricData', 'logs:GetQueryResults', 'logs:StopQuery']);
    expect(bySid.ReadQueryResultsMetricsAndCost.Resource).toBe('*');
    expect(rendered(bySid.ReadOwnAlarmHistory.Resource)).toBe('arn:aws:cloudwatch:us-east-1:111122223333:alarm:example-*');
    expect(sorted(bySid.ReadOwnAlarmHistory.Action)).toEqual(['cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms']);
    expect(sorted(bySid.WriteReports.Action)).toEqual(['s3:GetObject', 's3:PutObject']);
    const bucketId = Object.keys(template.findResources('AWS::S3::Bucket')).find((id) => /^ReportBucket[0-9A-F]{8}$/.test(id));
    expect(bySid.WriteReports.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/reports/*']] });
    expect(bySid.FindOwnReports).toEqual(expect.objectContaining({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['reports/*'] } } }));
    expect(bySid.PublishSummary.Resource).toEqual({ Ref: Object.keys(template.findResources('AWS::SNS::Topic')).find((id) => id.startsWith('ReportTopic')) });
    expect(bySid.SendHtmlReport.Action).toBe('ses:SendEmail');
    expect(bySid.SendHtmlReport.Resource.map(rendered)).toEqual([
      'arn:aws:ses:us-east-1:111122223333:identity/reports@example.com',
      'arn:aws:ses:us-east-1:111122223333:identity/example.com',
    ]);
    expect(sorted(bySid.UseClientKeyForReportsAndTopic.Action)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    // The scheduler's role may invoke this function and nothing else.
    const invoke = statementsOf(template, 'AWS::IAM::ManagedPolicy', 'SchedulerRole');
    expect(invoke).toHaveLength(1);
    expect(invoke[0].Action).toBe('lambda:InvokeFunction');
  });

  test('without an SES sender, no SES permission', () => {
    const config = exampleConfig();
    const { template } = minimal({ ...config, reports: { ...config.reports!, sesFromAddress: undefined } });
    expect(statementsOf(template, 'AWS::IAM::ManagedPolicy', 'ReportRolePolicy').map((s) => s.Sid)).not.toContain('SendHtmlReport');
  });

  test('the reports topic: client key, TLS only, an email subscription per recipient', () => {
    const { template, stack, key } = minimal();
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'example-ai-ops-reports', KmsMasterKeyId: stack.resolve(key.keyArn) });
    for (const address of ['finance@example.com', 'support-ai@example.com']) {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: address, TopicArn: { Ref: Match.stringLikeRegexp('^ReportTopic') } });
    }
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: Match.stringLikeRegexp('^ReportTopic') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('a failed run is a P2 alarm on the function\'s errors, routed through the alarm router', () => {
    const { template, stack, router, report } = minimal();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'example-governance-report-failed',
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^ReportFunction') } }],
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp('^\\[P2\\] A run of the governance report of client example failed'),
      AlarmActions: [stack.resolve(router.topic('P2' as any).topicArn)],
      OKActions: [stack.resolve(router.topic('P2' as any).topicArn)],
    });
    expect(report.failedRun).toEqual(expect.objectContaining({ kind: 'governance-report-failed', severity: 'P2', runbookUrl: expect.stringMatching(/runbooks\.example\.com\/cdk-ai-ops\/example\/example-governance-report-failed\.md$/) }));
  });

  test('refuses a config without a reports section, naming the fix', () => {
    const { reports, ...config } = exampleConfig();
    void reports;
    const stack = new Stack(newApp(), 'S');
    const key = new kms.Key(stack, 'Key');
    const router = new SnsSeverityRouter(stack, 'Router', { clientId: 'example', encryptionKey: key });
    expect(() => new GovernanceReport(stack, 'Report', { config, encryptionKey: key, alarmRouter: router }))
      .toThrow('GovernanceReport at S/Report: the config of client example has no `reports` section; add one (recipients at least) or leave the report out');
  });
});

describe('GovernanceReport through AiOps', () => {
  test('is created when the config has reports, and its alarm is one of the client\'s alarms', () => {
    const stack = exampleStack();
    const aiOps = stack.node.findAll().find((c): c is AiOps => c instanceof AiOps)!;
    expect(aiOps.report).toBeDefined();
    expect(aiOps.alarms().map((a) => a.alarmName)).toContain('example-governance-report-failed');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    // Routed by the incident router's P2 topic.
    const alarm: any = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((a: any) => a.Properties.AlarmName === 'example-governance-report-failed');
    expect(JSON.stringify(alarm.Properties.AlarmActions)).toMatch(/AiOpsAlertsP2Topic/);
  });

  test('is left out without reports', () => {
    const { reports, ...config } = exampleConfig();
    void reports;
    const stack = new Stack(newApp(), 'S');
    const aiOps = new AiOps(stack, 'AiOps', config);
    expect(aiOps.report).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::Scheduler::Schedule', 0);
  });
});

describe('reports config', () => {
  const withReports = (reports: Record<string, unknown>) => ({ ...exampleConfig(), reports: { recipients: ['a@example.com'], ...reports } });

  test('timeZone must be an IANA time zone', () => {
    expect(() => ClientConfigLoader.fromObject(withReports({ timeZone: 'CEST' }), 'client.yaml')).toThrow(ClientConfigError);
    expect(() => ClientConfigLoader.fromObject(withReports({ timeZone: 'CEST' }), 'client.yaml')).toThrow(/reports\.timeZone[\s\S]*an IANA time zone such as Europe\/Paris/);
    expect(ClientConfigLoader.fromObject(withReports({ timeZone: 'America/New_York' }), 'client.yaml').reports!.timeZone).toBe('America/New_York');
  });

  test('hourUtc is refused now that the hour is read in timeZone', () => {
    expect(() => ClientConfigLoader.fromObject(withReports({ hourUtc: 8 }), 'client.yaml')).toThrow(/hourUtc/);
  });
});
