/*
 * The pieces every bundled function of the library is built from: the runtime, the handler's
 * bundle, an encrypted log group and a role that writes to it alone. Not re-exported by
 * lib/common/index.ts: internal to the constructs.
 */
import * as path from 'path';
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from '../compliance/managed-policy-role';

/** Lambda's newest Node.js runtime, the one cdk-nag's AwsSolutions-L1 accepts. */
export const NODEJS_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** The bundled handler of `lambda/<name>/` (see projenrc/bundle-lambdas.ts). */
export function bundledHandler(name: string): lambda.Code {
  return lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'lambda', name));
}

/**
 * Lets CloudWatch Logs of this account and region use `key` for the log groups named
 * `logGroupName` (a `*` makes it a pattern). A key imported from another stack is not changed:
 * granting it is its owner's part.
 */
export function letLogsEncryptWith(key: kms.IKey, sid: string, logGroupName: string): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid,
    principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      [logGroupName.includes('*') ? 'ArnLike' : 'ArnEquals']: {
        'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${logGroupName}`,
      },
    },
  }));
}

/** A function's log group: encrypted with the client key, kept a year, retained when the stack goes. */
export function encryptedLogGroup(scope: Construct, id: string, key: kms.IKey, logGroupName?: string): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    logGroupName, encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN,
  });
}

/**
 * A function's role: its own log group, nothing else until granted, in a managed policy (the
 * compliance packs refuse inline ones). The default role would carry AWSLambdaBasicExecutionRole,
 * which writes to any log group.
 */
export function ownLogsRole(scope: Construct, id: string, logGroup: logs.ILogGroup): ManagedPolicyRole {
  const role = new ManagedPolicyRole(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({
    sid: 'WriteOwnLogs',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [logGroup.logGroupArn],
  }));
  return role;
}
