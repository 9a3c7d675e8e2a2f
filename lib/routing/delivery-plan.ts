import { ClientConfig, OperatingPosture, Severity, SlaTier } from '../config/types';

/** How often the P3 digest goes out. */
export enum DigestSchedule {
  /** Mondays 09:00 UTC, covering the past week. */
  WEEKLY = 'weekly',
  /** Monday, Wednesday and Friday 09:00 UTC, covering the days since the previous digest. */
  EVERY_TWO_BUSINESS_DAYS = 'every-two-business-days',
}

/** Where one severity's alarms go as they fire. */
export interface SeverityDelivery {
  /**
   * Secrets Manager name of the PagerDuty service's integration key.
   * @default - not paged
   */
  readonly pagerDutySecretName?: string;
  /** Addresses mailed on every state change. */
  readonly emails: string[];
  /** Posted to the client's Slack channel on every state change. */
  readonly slack: boolean;
  /** Gathered into the periodic digest instead of sent one by one. */
  readonly batched: boolean;
}

/** Where every severity goes, from the SLA tier, the posture and the escalation endpoints. */
export interface DeliveryPlan {
  readonly p1: SeverityDelivery;
  readonly p2: SeverityDelivery;
  readonly p3: SeverityDelivery;
  readonly digestSchedule: DigestSchedule;
  /** Addresses and Slack of the digest. */
  readonly digestEmails: string[];
}

/**
 * The SLA table as routing: P1 pages (and mails, a second path); P2 pages a low-urgency service or,
 * without one, mails, except in posture `escalation`, where the client's own team channel comes
 * first and only P1 pages; P3 is batched, weekly on the standard tier and every two business days
 * on the enterprise tier. Slack, when configured, receives every immediate severity.
 */
export function deliveryPlanOf(config: ClientConfig): DeliveryPlan {
  const { pagerDuty, emails, slack } = config.escalation;
  const escalation = config.posture === OperatingPosture.ESCALATION;
  const p2Pager = escalation ? undefined : pagerDuty?.p2?.integrationKeySecretName;
  return {
    p1: { pagerDutySecretName: pagerDuty?.p1?.integrationKeySecretName, emails: emails?.p1 ?? [], slack: slack !== undefined, batched: false },
    p2: {
      pagerDutySecretName: p2Pager,
      emails: p2Pager && !escalation ? [] : emails?.p2 ?? [],
      slack: slack !== undefined,
      batched: false,
    },
    p3: { emails: [], slack: false, batched: true },
    digestSchedule: config.slaTier === SlaTier.ENTERPRISE ? DigestSchedule.EVERY_TWO_BUSINESS_DAYS : DigestSchedule.WEEKLY,
    digestEmails: emails?.p3 ?? [],
  };
}

/** The plan of one severity. */
export function deliveryOf(plan: DeliveryPlan, severity: Severity): SeverityDelivery {
  return severity === Severity.P1 ? plan.p1 : severity === Severity.P2 ? plan.p2 : plan.p3;
}
