import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { acknowledgeFinding } from '../acknowledge';

/*
 * The acknowledgements that recur across constructs, one function per reason kind, each covering
 * the rule in every pack that has it (whether or not a client applies that pack: an
 * acknowledgement of a pack not applied is never read). The reason stays the caller's: it must
 * say why for that resource. docs/compliance.md lists every acknowledgement of the example client.
 */

const NIST = 'NIST.800.53.R5';
const HIPAA = 'HIPAA.Security';
const PCI = 'PCI.DSS.321';
const SERVERLESS = 'Serverless';

/** The rule ids these functions acknowledge, by function: the packs that have each rule. */
export const RECURRING_ACKNOWLEDGEMENTS = {
  acknowledgeOutsideVpc: [NIST, HIPAA, PCI].map((pack) => `${pack}-LambdaInsideVPC`),
  acknowledgeNoDeadLetterQueue: [SERVERLESS, NIST, HIPAA].map((pack) => `${pack}-LambdaDLQ`),
  acknowledgeAlarmWithoutActions: [NIST, HIPAA].map((pack) => `${pack}-CloudWatchAlarmAction`),
  acknowledgeNoReplication: [NIST, HIPAA, PCI].map((pack) => `${pack}-S3BucketReplicationEnabled`),
  acknowledgeS3ManagedEncryption: [NIST, HIPAA, PCI].map((pack) => `${pack}-S3DefaultEncryptionKMS`),
} as const;

/** The L1 resource of an L2 construct (the narrowest construct), or the construct itself. */
function resourceOf(construct: IConstruct): IConstruct {
  return construct.node.defaultChild ?? construct;
}

function acknowledgeAll(construct: IConstruct, ruleIds: readonly string[], reason: string): void {
  for (const id of ruleIds) acknowledgeFinding(resourceOf(construct), id, reason);
}

/**
 * A function that is not attached to a VPC (LambdaInsideVPC): say what it calls and why a VPC
 * would add nothing (its traffic goes to public AWS and SaaS endpoints over TLS, IAM-authorized).
 */
export function acknowledgeOutsideVpc(fn: lambda.IFunction, reason: string): void {
  acknowledgeAll(fn, RECURRING_ACKNOWLEDGEMENTS.acknowledgeOutsideVpc, reason);
}

/** A function without a dead-letter queue (LambdaDLQ): say where a failed event goes instead. */
export function acknowledgeNoDeadLetterQueue(fn: lambda.IFunction, reason: string): void {
  acknowledgeAll(fn, RECURRING_ACKNOWLEDGEMENTS.acknowledgeNoDeadLetterQueue, reason);
}

/**
 * A metric alarm without actions of its own (CloudWatchAlarmAction): say which composite alarm
 * over it carries the actions.
 */
export function acknowledgeAlarmWithoutActions(alarm: cloudwatch.IAlarm, reason: string): void {
  acknowledgeAll(alarm, RECURRING_ACKNOWLEDGEMENTS.acknowledgeAlarmWithoutActions, reason);
}

/** A bucket not replicated to another region (S3BucketReplicationEnabled): say how its data is protected or rebuilt. */
export function acknowledgeNoReplication(bucket: s3.IBucket, reason: string): void {
  acknowledgeAll(bucket, RECURRING_ACKNOWLEDGEMENTS.acknowledgeNoReplication, reason);
}

/** A bucket encrypted with S3-managed keys (S3DefaultEncryptionKMS): say why KMS is not possible there. */
export function acknowledgeS3ManagedEncryption(bucket: s3.IBucket, reason: string): void {
  acknowledgeAll(bucket, RECURRING_ACKNOWLEDGEMENTS.acknowledgeS3ManagedEncryption, reason);
}
