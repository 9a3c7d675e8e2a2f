import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeFinding } from '../acknowledge';
import { DeliveryPlan, deliveryOf, deliveryPlanOf, DigestSchedule } from './delivery-plan';
import { SnsSeverityRouter } from './router';
import { DIGEST_ENV, FORWARDER_ENV } from './sla';
import { AlarmFactory, SloAlarm } from '../common/alarm-factory';
import { SloAlarmKind } from '../common/alarm-kinds';
import { bundledHandler, encryptedLogGroup, letLogsEncryptWith, NODEJS_RUNTIME, ownLogsRole } from '../common/bundled-function';
import { acknowledgeOutsideVpc } from '../compliance/acknowledgements';
import { ManagedPolicyRole } from '../compliance/managed-policy-role';
import { PAGERDUTY_EVENTS_URL } from '../config/defaults';
import { ClientConfig, Severity } from '../config/types';

/** Properties of `IncidentRouter`. */
export interface IncidentRouterProps {
  readonly config: ClientConfig;
  /** Customer-managed key of the topics, queues and log groups. */
  readonly encryptionKey: kms.IKey;
  /**
   * Concurrent executions reserved for the PagerDuty forwarder, so a flood of other functions in
   * the account cannot throttle alert delivery (and no alert flood can starve the account).
   * @default 5
   */
  readonly forwarderReservedConcurrency?: number;
}

/**
 * The forwarder's reserved concurrency: PagerDuty accepts about 120 events a minute per
 * integration key and one delivery takes well under a second, so five executions keep up with
 * the busiest alert storm the library's alarms can make; reserved, they cannot be taken away.
 */
export const DEFAULT_FORWARDER_RESERVED_CONCURRENCY = 5;

const SEVERITIES = [Severity.P1, Severity.P2, Severity.P3];

/**
 * Severity routing as the SLA table says (see `deliveryPlanOf`): the severity topics of
 * `SnsSeverityRouter`, a PagerDuty forwarder subscribed to the paged severities, email and Slack
 * for the immediate ones, and the P3 digest on its schedule. A message the forwarder cannot
 * deliver ends in an encrypted dead-letter queue whose depth is a P1 alarm delivered by email
 * and Slack, not by PagerDuty: no alert is lost silently.
 */
export class IncidentRouter extends SnsSeverityRouter {
  public readonly plan: DeliveryPlan;
  /** Messages the forwarder could not deliver. */
  public readonly deadLetterQueue: sqs.Queue;
  /** P1 alarm on the dead-letter queue's depth. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Its name, known without deploying (for dashboards in other stacks). */
  public readonly deadLetterAlarmName: string;
  /** The dead-letter alarm as the runbooks and dashboards see it. */
  public readonly deadLetter: SloAlarm;
  /** The second path for the dead-letter alarm: email and Slack. */
  public readonly deadLetterTopic: sns.Topic;
  public readonly forwarder?: lambda.Function;
  public readonly digestTopic: sns.Topic;
  public readonly digestFunction: lambda.Function;
  public readonly slack?: chatbot.SlackChannelConfiguration;

  public constructor(scope: Construct, id: string, props: IncidentRouterProps) {
    const { config, encryptionKey } = props;
    super(scope, id, { clientId: config.clientId, encryptionKey });
    this.plan = deliveryPlanOf(config);
    const clientId = config.clientId;

    // SNS delivers to the encrypted dead-letter queue: it must be able to use the key.
    encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'SnsDeliversToEncryptedQueues',
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }));
    // The functions' log groups are encrypted with the same key.
    letLogsEncryptWith(encryptionKey, 'CloudWatchLogsEncryptsFunctionLogs', '*');

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${clientId}-ai-ops-undelivered-alerts`,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeFinding(this.deadLetterQueue, 'Serverless-SQSRedrivePolicy', 'This queue is the dead-letter queue of the alert path; its depth is a P1 alarm.');

    this.deadLetterTopic = this.encryptedTopic('DeadLetterAlerts', `${clientId}-ai-ops-undelivered-alerts`, 'undelivered alerts', encryptionKey);
    for (const address of this.plan.p1.emails) this.deadLetterTopic.addSubscription(this.email(address));
    this.deadLetter = new AlarmFactory({ clientId, router: this, runbookBaseUrl: config.runbookBaseUrl }).addAlarm(this, 'DeadLetterAlarm', {
      kind: SloAlarmKind.UNDELIVERED_ALERTS,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      what: `alerts of client ${clientId} could not be delivered to PagerDuty and wait in the dead-letter queue`,
      condition: 'the dead-letter queue holds at least one message (checked every minute)',
      owner: 'the on-call of the client',
      routeActions: false,
    });
    this.deadLetterAlarm = this.deadLetter.alarm as cloudwatch.Alarm;
    this.deadLetterAlarmName = this.deadLetter.alarmName;
    // A second path: not through the forwarder, whose failure this reports.
    const deadLetterAction = new actions.SnsAction(this.deadLetterTopic);
    this.deadLetterAlarm.addAlarmAction(deadLetterAction);
    this.deadLetterAlarm.addOkAction(deadLetterAction);

    const paged = SEVERITIES.filter((severity) => deliveryOf(this.plan, severity).pagerDutySecretName);
    if (paged.length > 0) {
      const reserved = props.forwarderReservedConcurrency ?? DEFAULT_FORWARDER_RESERVED_CONCURRENCY;
      this.forwarder = this.createForwarder(config, paged, encryptionKey, reserved);
    }

    for (const severity of SEVERITIES) {
      for (const address of deliveryOf(this.plan, severity).emails) {
        this.topic(severity).addSubscription(this.email(address));
      }
    }

    this.digestTopic = this.encryptedTopic('DigestTopic', `${clientId}-ai-ops-p3-digest`, 'P3 digest', encryptionKey);
    for (const address of this.plan.digestEmails) this.digestTopic.addSubscription(this.email(address));
    this.digestFunction = this.createDigest(clientId, encryptionKey);

    const slackConfig = config.escalation.slack;
    if (slackConfig) {
      const immediate = SEVERITIES.filter((severity) => deliveryOf(this.plan, severity).slack).map((severity) => this.topic(severity));
      this.slack = new chatbot.SlackChannelConfiguration(this, 'Slack', {
        slackChannelConfigurationName: `${clientId}-ai-ops`,
        slackWorkspaceId: slackConfig.workspaceId,
        slackChannelId: slackConfig.channelId,
        notificationTopics: [...immediate, this.digestTopic, this.deadLetterTopic],
        // Without a guardrail the channel could act with the role's full power: read-only, always.
        guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
        loggingLevel: chatbot.LoggingLevel.ERROR,
      });
    }
  }

  /** An email subscription whose failed deliveries go to the dead-letter queue too. */
  private email(address: string): subscriptions.EmailSubscription {
    return new subscriptions.EmailSubscription(address, { deadLetterQueue: this.deadLetterQueue });
  }

  private acknowledgeFunctionPolicy(role: ManagedPolicyRole): void {
    const policy = role.policy;
    acknowledgeFinding(policy, 'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments and PutTelemetryRecords (active tracing) support no resource-level permissions.');
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
      acknowledgeFinding(policy, `AwsSolutions-IAM5[Action::${action}]`,
        'Sending to the KMS-encrypted dead-letter queue and topics needs these actions on the client key, the only key granted.');
    }
  }

  private encryptedTopic(id: string, topicName: string, what: string, key: kms.IKey): sns.Topic {
    const topic = new sns.Topic(this, id, { topicName, displayName: `cdk-ai-ops ${what}`, masterKey: key, enforceSSL: true });
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsOfThisAccountPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }));
    return topic;
  }

  /**
   * A function of the alert path: the bundled handler of `lambda/<handler>/`, its own role and
   * encrypted log group, tracing, and failures to the dead-letter queue (as its DLQ and as its
   * on-failure destination) after two retries.
   */
  private alertFunction(
    id: string, handler: string, description: string, timeout: Duration, environment: Record<string, string>, key: kms.IKey,
    reservedConcurrentExecutions?: number,
  ) {
    const logGroup = encryptedLogGroup(this, `${id}Logs`, key);
    const role = ownLogsRole(this, `${id}Role`, logGroup);
    const fn = new lambda.Function(this, id, {
      role,
      description,
      runtime: NODEJS_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: bundledHandler(handler),
      memorySize: 256,
      timeout,
      retryAttempts: 2,
      deadLetterQueue: this.deadLetterQueue,
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      environment,
      reservedConcurrentExecutions,
    });
    return { fn, role };
  }

  private createForwarder(config: ClientConfig, paged: Severity[], key: kms.IKey, reservedConcurrency: number): lambda.Function {
    const secretNames = Object.fromEntries(paged.map((severity) => [severity, deliveryOf(this.plan, severity).pagerDutySecretName!]));
    const topicSeverities = Object.fromEntries(paged.map((severity) => [this.topic(severity).topicArn, severity]));
    const { fn: forwarder, role } = this.alertFunction('PagerDutyForwarder', 'pagerduty-forwarder',
      `cdk-ai-ops ${config.clientId}: forwards alarm state changes to the PagerDuty Events API v2`,
      // Up to six attempts with backoff of at most 8 s each.
      Duration.seconds(60),
      {
        [FORWARDER_ENV.TOPIC_SEVERITIES]: Stack.of(this).toJsonString(topicSeverities),
        [FORWARDER_ENV.KEY_SECRETS]: JSON.stringify(secretNames),
        [FORWARDER_ENV.EVENTS_URL]: config.escalation.pagerDuty?.eventsApiUrl ?? PAGERDUTY_EVENTS_URL,
        [FORWARDER_ENV.SLA_TIER]: config.slaTier,
        [FORWARDER_ENV.CLIENT_ID]: config.clientId,
      }, key, reservedConcurrency);
    for (const [severity, name] of Object.entries(secretNames)) {
      secretsmanager.Secret.fromSecretNameV2(this, `${severity}IntegrationKey`, name).grantRead(forwarder);
      acknowledgeFinding(role.policy,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${name}-??????]`,
        'Secrets Manager appends six random characters to a secret\'s ARN; the name before them is exact.');
    }
    for (const severity of paged) {
      this.topic(severity).addSubscription(new subscriptions.LambdaSubscription(forwarder, { deadLetterQueue: this.deadLetterQueue }));
    }
    this.acknowledgeFunctionPolicy(role);
    acknowledgeOutsideVpc(forwarder, 'It calls only public HTTPS endpoints: the PagerDuty Events API (TLS, authenticated by the integration key) '
      + 'and Secrets Manager and SQS (TLS, IAM-authorized); it holds no data at rest and accepts no inbound connection, so a VPC would add '
      + 'a NAT path for the same calls without narrowing what it can reach.');
    return forwarder;
  }

  private createDigest(clientId: string, key: kms.IKey): lambda.Function {
    const schedule = this.plan.digestSchedule;
    const { fn: digest, role } = this.alertFunction('P3Digest', 'p3-digest',
      `cdk-ai-ops ${clientId}: the P3 digest, from CloudWatch alarm history`,
      Duration.minutes(2),
      {
        [DIGEST_ENV.P3_TOPIC_ARN]: this.topic(Severity.P3).topicArn,
        [DIGEST_ENV.DIGEST_TOPIC_ARN]: this.digestTopic.topicArn,
        [DIGEST_ENV.SCHEDULE]: schedule,
        [DIGEST_ENV.CLIENT_ID]: clientId,
      }, key,
      // A schedule three times a week: one run at a time, and never more of the account's concurrency.
      1);
    digest.addToRolePolicy(new iam.PolicyStatement({
      sid: 'ReadAlarmsAndTheirHistory',
      actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
      resources: [`arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:${clientId}-*`],
    }));
    this.digestTopic.grantPublish(digest);
    acknowledgeFinding(role.policy, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:${clientId}-*]`,
      'Every alarm of this client, and only those, is named with the client id as prefix; read-only actions.');
    this.acknowledgeFunctionPolicy(role);
    acknowledgeOutsideVpc(digest, 'It calls only AWS APIs over TLS, IAM-authorized: CloudWatch (alarm history, read-only) and SNS (publish the digest); '
      + 'it holds no data at rest and accepts no inbound connection, so a VPC would add a NAT path for the same calls.');
    new events.Rule(this, 'P3DigestSchedule', {
      description: `cdk-ai-ops ${clientId}: P3 digest, ${schedule}`,
      schedule: schedule === DigestSchedule.WEEKLY
        ? events.Schedule.cron({ weekDay: 'MON', hour: '9', minute: '0' })
        : events.Schedule.cron({ weekDay: 'MON,WED,FRI', hour: '9', minute: '0' }),
      targets: [new targets.LambdaFunction(digest, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 2 })],
    });
    return digest;
  }
}
