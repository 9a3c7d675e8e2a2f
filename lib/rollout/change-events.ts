import { Aws, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CHANGE_EVENTS_ENV } from './change-events-contract';
import { acknowledgeFinding } from '../acknowledge';
import { bundledHandler, encryptedLogGroup, letLogsEncryptWith, NODEJS_RUNTIME, ownLogsRole } from '../common/bundled-function';
import { acknowledgeNoDeadLetterQueue, acknowledgeOutsideVpc } from '../compliance/acknowledgements';
import { ClientConfig } from '../config/types';
import { deliveryPlanOf } from '../routing/delivery-plan';
import { changeEventsUrlOf } from '../routing/sla';

/** Properties of `RolloutChangeEvents`. */
export interface RolloutChangeEventsProps {
  /** The client's config: its PagerDuty services (`escalation.pagerDuty`) receive the Change Events. */
  readonly config: ClientConfig;
  /** Customer-managed key of the function's log group. */
  readonly encryptionKey: kms.IKey;
}

/**
 * Stage changes are rare (a handful a week) and a state machine waits on each: two executions
 * cover two rollouts changing at once, and reserved, they cannot be taken away by other functions.
 */
const RESERVED_CONCURRENCY = 2;

/**
 * Sends each stage change of a governed rollout (start, advance, pause, rollback, complete) to
 * PagerDuty as a Change Event: it pages no one, and it shows on the service's timeline beside the
 * incidents, so a responder sees "rollout r1 on support/triage advanced 10% → 50%" next to the
 * alert it may have caused.
 *
 * One function per client. The rollout's state machine invokes it synchronously with a
 * `RolloutChangeRequest`; it sends one event to each PagerDuty service the client pages (the P1
 * service and, in posture `primary`, the P2 one), reading their integration keys from Secrets
 * Manager by the names in the config (never a key in the template, the environment or a log). The
 * Change Events endpoint sits beside `escalation.pagerDuty.eventsApiUrl` (EU accounts included).
 *
 * It fails with `ChangeEventRetryable` when PagerDuty rate limits (429), fails (5xx) or cannot be
 * reached, with `ChangeEventRefused` when PagerDuty refuses the event or a key secret is missing
 * or empty, and with `MalformedRolloutChange` for a payload that is not a rollout change (see
 * `CHANGE_EVENT_ERRORS`). The state machine should retry the first with backoff and catch all
 * three: a Change Event informs, it never holds up a stage or a rollback.
 *
 * Only for a client with PagerDuty (`RolloutChangeEvents.isConfigured(config)`); creating it for
 * another throws. A secret encrypted with a customer-managed key also needs that key's policy to
 * let the function's role decrypt through Secrets Manager; the AWS managed key needs nothing.
 *
 * In the state machine: a `LambdaInvoke` of `function` with the request as its payload
 * (`executionArn: JsonPath.executionId`) and `resultPath: JsonPath.DISCARD`, a Retry on
 * `CHANGE_EVENT_ERRORS.RETRYABLE` (PagerDuty suggests three, about 30 seconds apart), and a Catch
 * of every error that goes on to the next state.
 */
export class RolloutChangeEvents extends Construct {
  /**
   * The Secrets Manager names of the integration keys of the PagerDuty services the client pages,
   * each once: the services that receive the Change Events. Empty without PagerDuty.
   */
  public static pagerDutySecretNames(config: ClientConfig): string[] {
    const plan = deliveryPlanOf(config);
    return [...new Set([plan.p1.pagerDutySecretName, plan.p2.pagerDutySecretName].filter((name): name is string => name !== undefined))];
  }

  /** Whether the client pages through PagerDuty at all, and so can receive Change Events. */
  public static isConfigured(config: ClientConfig): boolean {
    return RolloutChangeEvents.pagerDutySecretNames(config).length > 0;
  }

  /** The function the state machine invokes with a `RolloutChangeRequest`. */
  public readonly function: lambda.IFunction;

  public constructor(scope: Construct, id: string, props: RolloutChangeEventsProps) {
    super(scope, id);
    const { config, encryptionKey } = props;
    const secretNames = RolloutChangeEvents.pagerDutySecretNames(config);
    if (secretNames.length === 0) {
      throw new Error(`RolloutChangeEvents at ${this.node.path}: client ${config.clientId} has no PagerDuty service (escalation.pagerDuty.p1 or p2 in its config); `
        + 'check RolloutChangeEvents.isConfigured(config) before creating it');
    }

    const logGroupName = `/cdk-ai-ops/${config.clientId}/rollout-change-events`;
    // CloudWatch Logs encrypts this one log group with the client key.
    letLogsEncryptWith(encryptionKey, 'CloudWatchLogsEncryptsRolloutChangeEventLogs', logGroupName);
    const logGroup = encryptedLogGroup(this, 'Logs', encryptionKey, logGroupName);
    const role = ownLogsRole(this, 'Role', logGroup);
    const secretArns = secretNames.map((name) => `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${name}-??????`);
    // GetSecretValue only: the function reads the keys and describes nothing.
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadIntegrationKeys', actions: ['secretsmanager:GetSecretValue'], resources: secretArns }));

    const fn = new lambda.Function(this, 'Function', {
      role,
      description: `cdk-ai-ops ${config.clientId}: sends each rollout stage change to PagerDuty as a Change Event`,
      runtime: NODEJS_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: bundledHandler('rollout-change-events'),
      memorySize: 256,
      // A secret read and one POST per service, in parallel, each POST at most 8 seconds.
      timeout: Duration.seconds(30),
      // Invoked synchronously by the state machine, whose Retry decides; Lambda's own async retries never apply.
      retryAttempts: 0,
      reservedConcurrentExecutions: RESERVED_CONCURRENCY,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      environment: {
        [CHANGE_EVENTS_ENV.KEY_SECRETS]: JSON.stringify(secretNames),
        [CHANGE_EVENTS_ENV.CHANGE_EVENTS_URL]: changeEventsUrlOf(config.escalation.pagerDuty?.eventsApiUrl),
        [CHANGE_EVENTS_ENV.CLIENT_ID]: config.clientId,
      },
    });
    this.function = fn;

    const synchronous = 'Invoked synchronously by the rollout state machine, whose Retry and Catch handle a failure; there is no asynchronous event to queue or redirect.';
    acknowledgeNoDeadLetterQueue(fn, synchronous);
    acknowledgeFinding(fn, 'Serverless-LambdaAsyncFailureDestination', synchronous);
    acknowledgeOutsideVpc(fn, 'It calls only public HTTPS endpoints: the PagerDuty Change Events API (TLS, authenticated by the integration key) '
      + 'and Secrets Manager (TLS, IAM-authorized); a VPC would only add a NAT path to the same endpoints.');
    const policy = role.policy;
    acknowledgeFinding(policy, 'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments and PutTelemetryRecords (active tracing) support no resource-level permissions.');
    for (const name of secretNames) {
      acknowledgeFinding(policy, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${name}-??????]`,
        'Secrets Manager appends six random characters to a secret\'s ARN; the name before them is exact, and the action is GetSecretValue only.');
    }
  }
}
