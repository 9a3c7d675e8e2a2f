import * as path from 'path';
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { JUDGE_ENV } from './judge-env';
import { acknowledgeFinding } from '../acknowledge';
import { acknowledgeNoDeadLetterQueue, acknowledgeOutsideVpc } from '../compliance/acknowledgements';
import { ManagedPolicyRole } from '../compliance/managed-policy-role';
import { TelemetryContract } from '../telemetry/contract';

/** Properties of `LlmJudge`. */
export interface LlmJudgeProps {
  /** Names the queues (`<client>-ai-ops-judge-<evaluator>`). */
  readonly clientId: string;
  /** The evaluator id the verdicts are recorded under: the accuracy SLO's `evaluators[].id`. */
  readonly evaluatorId: string;
  /** Bump it with every change of the rubric or the judge model, so verdicts before and after stay apart. */
  readonly evaluatorVersion: string;
  /** The rubric: what a passing output is, as the judge's system prompt. */
  readonly rubric: string;
  /**
   * Bedrock model id of the judge, or a cross-region inference profile id (`us.`, `eu.`, `apac.`, `global.`).
   * Calibrate it against a human-labelled audit set before trusting its verdicts (docs/quality.md).
   */
  readonly judgeModelId: string;
  /** Customer-managed key of the queues and the log group. */
  readonly encryptionKey: kms.IKey;
  /**
   * CloudWatch namespace of the client's telemetry.
   * @default TelemetryContract.DEFAULT_NAMESPACE
   */
  readonly metricNamespace?: string;
  /**
   * A score at or above this passes when the judge gives a score but no verdict.
   * @default 0.7
   */
  readonly passScore?: number;
  /**
   * Judge invocations at once: caps the judge's Bedrock throughput and cost.
   * @default 2
   */
  readonly maxConcurrency?: number;
}

const RUNTIME = lambda.Runtime.NODEJS_24_X;
const CROSS_REGION_PROFILE = /^(us|eu|apac|us-gov|global)\.(.+)$/;
/** Receives before a sample that cannot be judged moves to the dead-letter queue. */
const MAX_RECEIVES = 3;

/**
 * An opt-in LLM judge for a sampled share of traffic: the agents (or a log subscription of the
 * client's choosing) send sampled calls, with input and output, to its encrypted queue; a function
 * asks the judge model to score each against the rubric and records the verdict as an evaluation
 * (source `judge`), which the route's accuracy SLO alarms on. Samples that cannot be judged end in
 * an encrypted dead-letter queue after three receives.
 */
export class LlmJudge extends Construct {
  /** Where sampled calls are sent (JSON: agent, route, model, tenant, input, output; optional variant, requestId, sessionId, sampleWeight, reference). */
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly function: lambda.Function;

  public constructor(scope: Construct, id: string, props: LlmJudgeProps) {
    super(scope, id);
    const passScore = props.passScore ?? 0.7;
    if (!(passScore > 0 && passScore <= 1)) throw new Error(`LlmJudge ${this.node.path}: passScore must be above 0 and at most 1, found ${passScore}`);
    const maxConcurrency = props.maxConcurrency ?? 2;
    if (!(Number.isInteger(maxConcurrency) && maxConcurrency >= 2 && maxConcurrency <= 1000)) {
      throw new Error(`LlmJudge ${this.node.path}: maxConcurrency must be a whole number from 2 to 1000 (SQS event sources scale from 2), found ${maxConcurrency}`);
    }
    const queueName = `${props.clientId}-ai-ops-judge-${props.evaluatorId.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 70);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: `${queueName}-dlq`,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeFinding(this.deadLetterQueue, 'Serverless-SQSRedrivePolicy', 'This queue is the dead-letter queue of the judge\'s sample queue.');
    const timeout = Duration.minutes(2);
    this.queue = new sqs.Queue(this, 'Samples', {
      queueName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      // Samples wait at most a day: older verdicts land too late for the day's accuracy window.
      retentionPeriod: Duration.days(1),
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVES },
    });

    // The log group is encrypted with the client key, which CloudWatch Logs must be allowed to use.
    props.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchLogsEncryptsJudgeLogs',
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` } },
    }));
    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.encryptionKey, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN,
    });
    // Its own log group and the judge model, nothing else (the default role could write to any log group).
    const role = new ManagedPolicyRole(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    role.addToPolicy(new iam.PolicyStatement({ sid: 'InvokeTheJudgeModel', actions: ['bedrock:InvokeModel'], resources: judgeModelArns(props.judgeModelId) }));

    this.function = new lambda.Function(this, 'Function', {
      role,
      description: `cdk-ai-ops ${props.clientId}: LLM judge ${props.evaluatorId} (version ${props.evaluatorVersion}) of sampled calls`,
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'lambda', 'llm-judge')),
      memorySize: 256,
      timeout,
      // The event source never runs more at once; reserving as many keeps other functions from starving the judge and the reverse.
      reservedConcurrentExecutions: maxConcurrency,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      environment: {
        [JUDGE_ENV.MODEL_ID]: props.judgeModelId,
        [JUDGE_ENV.EVALUATOR_ID]: props.evaluatorId,
        [JUDGE_ENV.EVALUATOR_VERSION]: props.evaluatorVersion,
        [JUDGE_ENV.RUBRIC]: props.rubric,
        [JUDGE_ENV.PASS_SCORE]: String(passScore),
        CDK_AI_OPS_NAMESPACE: props.metricNamespace ?? TelemetryContract.DEFAULT_NAMESPACE,
      },
    });
    // Invoked by its SQS event source only: failed samples are retried by SQS and end in the queue's DLQ.
    acknowledgeNoDeadLetterQueue(this.function, 'Invoked synchronously by its SQS event source; failed samples go to the sample queue\'s dead-letter queue.');
    acknowledgeOutsideVpc(this.function, 'It calls only AWS APIs over TLS, IAM-authorized: Amazon Bedrock (the judge model) and SQS; its scores leave as log lines '
      + 'in its own encrypted log group. It accepts no inbound connection, so a VPC would add a NAT path (or endpoints) for the same calls.');
    const samples = new sources.SqsEventSource(this.queue, { batchSize: 5, reportBatchItemFailures: true, maxConcurrency });
    this.function.addEventSource(samples);
    const mapping = this.function.node.children.find((child) => child.node.id.startsWith('SqsEventSource'))!;
    acknowledgeFinding(mapping, 'Serverless-LambdaEventSourceMappingDestination',
      'SQS event sources take no on-failure destination; the sample queue\'s redrive policy moves failed samples to its dead-letter queue.');

    const policy = role.policy;
    acknowledgeFinding(policy, 'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments and PutTelemetryRecords (active tracing) support no resource-level permissions.');
    const profile = CROSS_REGION_PROFILE.exec(props.judgeModelId);
    if (profile) {
      acknowledgeFinding(policy, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/${profile[2]}]`,
        'A cross-region inference profile routes to the same foundation model in several regions; the model is exact, the region is not known in advance.');
    }
  }

  /** Lets `grantee` send sampled calls to the judge (and encrypt them with the client key). */
  public grantSendSamples(grantee: iam.IGrantable): iam.Grant {
    return this.queue.grantSendMessages(grantee);
  }
}

/** What `bedrock:InvokeModel` must allow: the foundation model, or the inference profile and the model it routes to. */
function judgeModelArns(modelId: string): string[] {
  const profile = CROSS_REGION_PROFILE.exec(modelId);
  if (!profile) return [`arn:${Aws.PARTITION}:bedrock:${Aws.REGION}::foundation-model/${modelId}`];
  return [
    `arn:${Aws.PARTITION}:bedrock:${Aws.REGION}:${Aws.ACCOUNT_ID}:inference-profile/${modelId}`,
    `arn:${Aws.PARTITION}:bedrock:*::foundation-model/${profile[2]}`,
  ];
}
