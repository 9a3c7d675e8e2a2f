import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Severity } from '../config/types';

/**
 * Delivers alarms, and the notifications of AWS services that are not alarms, by severity. The
 * alarm factory routes each paging alarm; the spend guards ask for a service topic (AWS Budgets and Cost
 * Anomaly Detection publish to an SNS topic, not through an alarm action), so a custom router
 * decides where those go too instead of losing them.
 */
export interface IAlarmRouter {
  /** Wires the alarm's ALARM and OK actions for its severity (OK closes what ALARM opened). */
  route(alarm: cloudwatch.AlarmBase, severity: Severity): void;

  /**
   * The topic an AWS service of this account (`budgets.amazonaws.com`, `costalerts.amazonaws.com`)
   * publishes its notifications of this severity to; the router lets that service publish to it
   * (topic policy, and key policy when encrypted).
   */
  serviceTopic(severity: Severity, servicePrincipal: string): sns.ITopic;
}
