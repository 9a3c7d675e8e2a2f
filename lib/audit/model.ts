/*
 * The audit pack as plain data: what `buildAuditModel` makes of a client's synthesized templates
 * and what the Markdown, HTML and JSON renderers print. Every reference in it is a construct
 * path, so a reader needs no CloudFormation.
 */
import type { NagReportLine } from '../compliance/nag-report';
import { ClientConfig } from '../config/types';
import { MonitoringCostEstimate } from '../pricing/monitoring-cost';
import { OutboundField } from '../routing/outbound';

/** One template of the cloud assembly: a stack's or a nested stack's. */
export interface AuditTemplate {
  /** `<stack>` for a stack, `<parent key>/<logical id>` for a nested stack. */
  readonly key: string;
  readonly stackName: string;
  /** The construct path shown for it. */
  readonly label: string;
  readonly template: Record<string, any>;
  /** For a nested stack: its parent's key and its resource's logical id there. */
  readonly parent?: { readonly key: string; readonly logicalId: string };
}

/** One cdk-nag acknowledgement: a finding accepted on a construct (and everything under it), with the reason. */
export interface AuditAcknowledgement {
  readonly constructPath: string;
  readonly ruleId: string;
  readonly reason: string;
}

/** One cdk-nag JSON report file. */
export interface NagReport {
  readonly pack: string;
  readonly stack: string;
  readonly lines: NagReportLine[];
}

/** What the audit is built from. */
export interface AuditInput {
  readonly config: ClientConfig;
  readonly templates: AuditTemplate[];
  readonly acknowledgements: AuditAcknowledgement[];
  readonly nagReports: NagReport[];
  /** The synthesized monitoring cost report. @default - none found */
  readonly monitoringCost?: MonitoringCostEstimate;
  /** ISO 8601. */
  readonly generatedAt: string;
  /** The cdk-ai-ops version that synthesized the templates. */
  readonly libraryVersion: string;
}

export interface AuditResource {
  readonly path: string;
  readonly type: string;
  readonly purpose: string;
  readonly template: string;
  readonly logicalId: string;
}

/** Where a statement is written in the templates: the resource, the document, the statement's index. */
export interface StatementSource {
  readonly template: string;
  readonly logicalId: string;
  /** `AssumeRolePolicyDocument`, `Policies/<name>`, `PolicyDocument`, `KeyPolicy`, `Permission`. */
  readonly document: string;
  readonly index: number;
}

export interface AuditStatement {
  readonly source: StatementSource;
  readonly sid?: string;
  readonly effect: string;
  /** Who it is about: for trust and resource policies, the principals; for identity policies, empty (the attached identities). */
  readonly principals: string[];
  readonly actions: string[];
  /** `NotAction` entries: everything but these. */
  readonly notActions: string[];
  readonly resources: string[];
  readonly conditions: string[];
}

/** A policy document: inline, standalone, managed, a trust policy, or a resource's policy. */
export interface AuditPolicy {
  readonly path: string;
  readonly kind: 'trust policy' | 'inline policy' | 'policy' | 'managed policy' | 'resource policy' | 'invoke permission';
  readonly description?: string;
  /** The roles it applies to (identity policies) or the resources it protects (resource policies). */
  readonly attachedTo: string[];
  readonly statements: AuditStatement[];
}

/** An IAM role: who may assume it, what uses it, and every statement it is granted. */
export interface AuditRole {
  readonly path: string;
  readonly purpose: string;
  /** Readable principals of its trust policy. */
  readonly assumedBy: string[];
  /** Functions, Slack channels, schedules and the like that act as it. */
  readonly usedBy: string[];
  /** Paths of the policies granting it permissions (trust policy excluded). */
  readonly policies: string[];
  /** AWS managed policies attached by name; their statements are AWS's. */
  readonly awsManagedPolicies: string[];
  readonly statements: AuditStatement[];
}

/** One answer to a question an auditor asks first. */
export interface AuditAnswer {
  readonly question: string;
  readonly answer: string[];
}

/** One kind of message leaving the account, as deployed. */
export interface AuditFlow {
  readonly id: string;
  readonly title: string;
  readonly destination: string;
  readonly transport: string;
  /** Addresses, channels, URLs it goes to, as configured. */
  readonly recipients: string[];
  /** The resources that send it (functions, subscriptions, channel configurations). */
  readonly via: string[];
  readonly fields: OutboundField[];
  readonly neverSent: string[];
}

export interface AuditDataStore {
  readonly path: string;
  readonly kind: string;
  readonly holds: string;
  readonly encryption: string;
  readonly retention: string;
}

export interface AuditNagPack {
  readonly pack: string;
  readonly stacks: string[];
  readonly compliant: number;
  readonly nonCompliant: number;
  readonly suppressed: number;
}

export interface AuditNagFinding {
  readonly pack: string;
  readonly ruleId: string;
  readonly resource: string;
  readonly compliance: string;
  readonly ruleInfo: string;
  /** The acknowledgement's reason. @default - not acknowledged */
  readonly reason?: string;
}

export interface AuditNag {
  readonly packs: AuditNagPack[];
  /** Findings acknowledged or still open (compliant results are counted only). */
  readonly findings: AuditNagFinding[];
  /** Every acknowledgement recorded on the constructs, with its reason. */
  readonly acknowledgements: AuditAcknowledgement[];
}

/** The audit pack of one client. */
export interface AuditModel {
  readonly clientId: string;
  readonly displayName: string;
  readonly generatedAt: string;
  readonly libraryVersion: string;
  readonly stacks: Array<{ readonly stack: string; readonly templates: string[] }>;
  readonly answers: AuditAnswer[];
  readonly resources: AuditResource[];
  readonly roles: AuditRole[];
  readonly policies: AuditPolicy[];
  readonly flows: AuditFlow[];
  readonly dataStores: AuditDataStore[];
  readonly nag: AuditNag;
  readonly monitoringCost?: MonitoringCostEstimate;
}
