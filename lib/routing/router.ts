import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { IAlarmRouter } from '../common/alarm-router';
import { Severity } from '../config/types';

/** Properties of `SnsSeverityRouter`. */
export interface SnsSeverityRouterProps {
  /** Client id, in the topic names. */
  readonly clientId: string;
  /** Customer-managed key encrypting the topics. */
  readonly encryptionKey: kms.IKey;
}

const SEVERITIES = [Severity.P1, Severity.P2, Severity.P3];

/**
 * One SNS topic per severity, encrypted with the client's key, TLS-only, and publishable only by
 * CloudWatch alarms of this account. Each alarm's ALARM and OK actions go to its severity's topic.
 */
export class SnsSeverityRouter extends Construct implements IAlarmRouter {
  private readonly topics = new Map<Severity, sns.Topic>();
  private readonly encryptionKey: kms.IKey;
  private readonly servicesAllowed = new Set<string>();

  public constructor(scope: Construct, id: string, props: SnsSeverityRouterProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    const account = Stack.of(this).account;
    for (const severity of SEVERITIES) {
      const topic = new sns.Topic(this, `${severity}Topic`, {
        topicName: `${props.clientId}-ai-ops-${severity.toLowerCase()}`,
        displayName: `cdk-ai-ops ${props.clientId} ${severity} alerts`,
        masterKey: props.encryptionKey,
        enforceSSL: true,
      });
      topic.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }));
      this.topics.set(severity, topic);
    }
    // CloudWatch must encrypt what it publishes to the topics; a key passed in is the caller's to grant.
    props.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublishToEncryptedTopics',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }));
  }

  /** The topic of one severity. */
  public topic(severity: Severity): sns.ITopic {
    return this.topics.get(severity)!;
  }

  /**
   * Lets an AWS service of this account publish to one severity's topic (AWS Budgets, Cost
   * Anomaly Detection): the topic policy and the key policy name it, nothing else changes.
   */
  public allowServiceToPublish(severity: Severity, servicePrincipal: string): void {
    const key = `${severity} ${servicePrincipal}`;
    if (this.servicesAllowed.has(key)) return;
    const keyPolicyNeeded = ![...this.servicesAllowed].some((allowed) => allowed.endsWith(` ${servicePrincipal}`));
    this.servicesAllowed.add(key);
    const topic = this.topics.get(severity)!;
    const account = Stack.of(this).account;
    const sid = servicePrincipal.split('.')[0].replace(/[^A-Za-z0-9]/g, '');
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: `${sid}OfThisAccountPublishes`,
      principals: [new iam.ServicePrincipal(servicePrincipal)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }));
    if (!keyPolicyNeeded) return;
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: `${sid}PublishesToEncryptedTopics`,
      principals: [new iam.ServicePrincipal(servicePrincipal)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }));
  }

  /** The severity's topic, which the service may now publish to. */
  public serviceTopic(severity: Severity, servicePrincipal: string): sns.ITopic {
    this.allowServiceToPublish(severity, servicePrincipal);
    return this.topic(severity);
  }

  public route(alarm: cloudwatch.AlarmBase, severity: Severity): void {
    const action = new actions.SnsAction(this.topic(severity));
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
