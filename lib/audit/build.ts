/*
 * The audit pack's pure core: a client's synthesized templates (nested stacks included), its
 * config, its cdk-nag reports and acknowledgements in; the AuditModel out. No I/O, no clock.
 */
import {
  AuditAcknowledgement, AuditAnswer, AuditDataStore, AuditFlow, AuditInput, AuditModel, AuditNag, AuditNagFinding, AuditPolicy,
  AuditResource, AuditRole, AuditStatement, AuditTemplate,
} from './model';
import { readablePath, ResourceRef, TemplateReader } from './references';
import { NO_EXCEPTION, SUPPRESSED } from '../compliance/nag-report';
import { REPORT_ENV } from '../reporting/report-function';
import { CHANGE_EVENTS_ENV } from '../rollout/change-events-contract';
import {
  ALARM_EMAILS, OutboundMessage, P3_DIGEST, PAGERDUTY_CHANGE_EVENTS, PAGERDUTY_EVENTS, REPORT_NOTIFICATION, REPORT_SES_EMAIL, SLACK_NOTIFICATIONS,
} from '../routing/outbound';
import { DIGEST_ENV, FORWARDER_ENV } from '../routing/sla';

/** How a resource type is called in the pack; a type not here is named by its CloudFormation type. */
const TYPE_WORDS: Record<string, string> = {
  'AWS::CloudWatch::Alarm': 'CloudWatch alarm',
  'AWS::CloudWatch::CompositeAlarm': 'composite alarm',
  'AWS::CloudWatch::AnomalyDetector': 'anomaly detector',
  'AWS::CloudWatch::Dashboard': 'dashboard',
  'AWS::CloudWatch::InsightRule': 'Contributor Insights rule',
  'AWS::SNS::Topic': 'SNS topic',
  'AWS::SNS::TopicPolicy': 'SNS topic policy',
  'AWS::SNS::Subscription': 'SNS subscription',
  'AWS::SQS::Queue': 'SQS queue',
  'AWS::SQS::QueuePolicy': 'SQS queue policy',
  'AWS::KMS::Key': 'KMS key',
  'AWS::KMS::Alias': 'KMS key alias',
  'AWS::Lambda::Function': 'Lambda function',
  'AWS::Lambda::Permission': 'Lambda invoke permission',
  'AWS::Lambda::EventInvokeConfig': 'Lambda retry and failure destination setting',
  'AWS::Logs::LogGroup': 'log group',
  'AWS::IAM::Role': 'IAM role',
  'AWS::IAM::Policy': 'IAM policy',
  'AWS::IAM::ManagedPolicy': 'IAM managed policy',
  'AWS::Events::Rule': 'EventBridge rule',
  'AWS::Scheduler::Schedule': 'EventBridge Scheduler schedule',
  'AWS::Chatbot::SlackChannelConfiguration': 'AWS Chatbot Slack channel',
  'AWS::S3::Bucket': 'S3 bucket',
  'AWS::S3::BucketPolicy': 'S3 bucket policy',
  'AWS::Budgets::Budget': 'AWS Budgets budget',
  'AWS::CE::AnomalyMonitor': 'Cost Anomaly Detection monitor',
  'AWS::CE::AnomalySubscription': 'Cost Anomaly Detection subscription',
  'AWS::CloudFormation::Stack': 'nested stack',
  'AWS::CDK::Metadata': 'CDK version metadata',
};

const wordOf = (type: string) => TYPE_WORDS[type] ?? type;

/** The first line of what a resource says of itself: its description, alarm description or display name. */
function ownDescription(reader: TemplateReader, ref: ResourceRef, resource: Record<string, any>): string | undefined {
  const p = resource.Properties ?? {};
  const said = p.Description ?? p.description ?? p.AlarmDescription ?? p.DisplayName;
  if (said === undefined) return undefined;
  const line = reader.text(ref.template, said).split('\n')[0].trim();
  return line || undefined;
}

function purposeOf(reader: TemplateReader, ref: ResourceRef, resource: Record<string, any>): string {
  const word = wordOf(String(resource.Type));
  const said = ownDescription(reader, ref, resource);
  if (said) return `${word}: ${said}`;
  const name = reader.nameOf(ref);
  const cut = name.lastIndexOf('/');
  return cut > 0 ? `${word} ${name.slice(cut + 1)} of ${name.slice(0, cut)}` : word;
}

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Readable principals of a statement's `Principal`. */
function principalsOf(reader: TemplateReader, key: string, principal: unknown): string[] {
  if (principal === undefined) return [];
  if (principal === '*') return ['anyone, as far as the conditions allow'];
  if (typeof principal !== 'object' || principal === null) return [String(principal)];
  return Object.entries(principal as Record<string, unknown>).flatMap(([kind, values]) => asList(values).map((value) => {
    const text = reader.text(key, value);
    if (kind === 'Service') return `the AWS service ${text}`;
    const root = /^arn:[^:]+:iam::([^:]+):root$/.exec(text);
    if (kind === 'AWS' && root) return `IAM principals of account ${root[1]} whose own policies allow it`;
    if (kind === 'AWS' && text === '*') return 'anyone, as far as the conditions allow';
    return kind === 'AWS' ? text : `${kind} ${text}`;
  }));
}

function conditionsOf(reader: TemplateReader, key: string, condition: unknown): string[] {
  if (typeof condition !== 'object' || condition === null) return [];
  return Object.entries(condition as Record<string, unknown>).flatMap(([operator, tests]) =>
    Object.entries((tests ?? {}) as Record<string, unknown>).map(([name, value]) => `${name} ${operator} ${reader.text(key, value)}`));
}

function statementsOf(reader: TemplateReader, ref: ResourceRef, document: string, policy: unknown): AuditStatement[] {
  const key = ref.template;
  const parsed = typeof policy === 'string' ? parseJson(policy) : policy;
  return asList((parsed as { Statement?: unknown } | undefined)?.Statement).map((raw, index) => {
    const s = (raw ?? {}) as Record<string, unknown>;
    const texts = (value: unknown) => asList(value).map((v) => reader.text(key, v));
    return {
      source: { template: key, logicalId: ref.logicalId, document, index },
      ...(typeof s.Sid === 'string' ? { sid: s.Sid } : {}),
      effect: String(s.Effect ?? 'Allow'),
      principals: [...principalsOf(reader, key, s.Principal), ...principalsOf(reader, key, s.NotPrincipal).map((p) => `everyone but ${p}`)],
      actions: texts(s.Action),
      notActions: texts(s.NotAction),
      resources: [...texts(s.Resource), ...texts(s.NotResource).map((r) => `everything but ${r}`)],
      conditions: conditionsOf(reader, key, s.Condition),
    };
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const refKey = (ref: ResourceRef) => `${ref.template}\0${ref.logicalId}`;

/** The policies of every template and the roles they apply to. */
function iamOf(reader: TemplateReader): { roles: AuditRole[]; policies: AuditPolicy[] } {
  const policies: AuditPolicy[] = [];
  const roleRefs = new Map<string, ResourceRef>();
  const attached = new Map<string, Set<string>>();
  const attach = (role: ResourceRef | undefined, policy: string) => {
    if (!role) return;
    const set = attached.get(refKey(role)) ?? new Set<string>();
    set.add(policy);
    attached.set(refKey(role), set);
  };
  const awsManaged = new Map<string, string[]>();

  for (const { ref, resource } of reader.resources()) {
    const p = resource.Properties ?? {};
    const name = reader.nameOf(ref);
    const targetsOf = (value: unknown) => asList(value).map((v) => reader.target(ref.template, v)).filter((r): r is ResourceRef => r !== undefined);
    switch (resource.Type) {
      case 'AWS::IAM::Role': {
        roleRefs.set(refKey(ref), ref);
        policies.push({ path: `${name} (trust policy)`, kind: 'trust policy', attachedTo: [name], statements: statementsOf(reader, ref, 'AssumeRolePolicyDocument', p.AssumeRolePolicyDocument) });
        for (const inline of asList(p.Policies) as Array<Record<string, unknown>>) {
          const path = `${name}/${reader.text(ref.template, inline.PolicyName)}`;
          policies.push({ path, kind: 'inline policy', attachedTo: [name], statements: statementsOf(reader, ref, `Policies/${reader.text(ref.template, inline.PolicyName)}`, inline.PolicyDocument) });
          attach(ref, path);
        }
        for (const arn of asList(p.ManagedPolicyArns)) {
          const target = reader.target(ref.template, arn);
          if (target) {
            attach(ref, reader.nameOf(target));
          } else {
            const text = reader.text(ref.template, arn);
            awsManaged.set(refKey(ref), [...(awsManaged.get(refKey(ref)) ?? []), text.replace(/^arn:[^:]+:iam::aws:policy\//, '')]);
          }
        }
        break;
      }
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy': {
        const roles = targetsOf(p.Roles);
        for (const role of roles) attach(role, name);
        const others = [...asList(p.Users).map((u) => `user ${reader.text(ref.template, u)}`), ...asList(p.Groups).map((g) => `group ${reader.text(ref.template, g)}`)];
        policies.push({
          path: name,
          kind: resource.Type === 'AWS::IAM::Policy' ? 'policy' : 'managed policy',
          ...(p.Description ? { description: reader.text(ref.template, p.Description) } : {}),
          attachedTo: [...roles.map((r) => reader.nameOf(r)), ...others],
          statements: statementsOf(reader, ref, 'PolicyDocument', p.PolicyDocument),
        });
        break;
      }
      case 'AWS::SNS::TopicPolicy':
      case 'AWS::SQS::QueuePolicy':
      case 'AWS::S3::BucketPolicy':
      case 'AWS::Logs::ResourcePolicy': {
        const protectedResources = resource.Type === 'AWS::SNS::TopicPolicy' ? p.Topics : resource.Type === 'AWS::SQS::QueuePolicy' ? p.Queues : p.Bucket;
        policies.push({
          path: name,
          kind: 'resource policy',
          attachedTo: asList(protectedResources).map((r) => reader.text(ref.template, r)),
          statements: statementsOf(reader, ref, 'PolicyDocument', p.PolicyDocument),
        });
        break;
      }
      case 'AWS::KMS::Key':
        policies.push({ path: `${name} (key policy)`, kind: 'resource policy', attachedTo: [name], statements: statementsOf(reader, ref, 'KeyPolicy', p.KeyPolicy) });
        break;
      case 'AWS::Lambda::Permission':
        policies.push({
          path: name,
          kind: 'invoke permission',
          attachedTo: [reader.text(ref.template, p.FunctionName)],
          statements: [{
            source: { template: ref.template, logicalId: ref.logicalId, document: 'Permission', index: 0 },
            effect: 'Allow',
            principals: principalsOf(reader, ref.template, { [String(p.Principal).includes('.amazonaws.com') ? 'Service' : 'AWS']: p.Principal }),
            actions: [reader.text(ref.template, p.Action)],
            notActions: [],
            resources: [reader.text(ref.template, p.FunctionName)],
            conditions: [
              ...(p.SourceArn ? [`aws:SourceArn equals ${reader.text(ref.template, p.SourceArn)}`] : []),
              ...(p.SourceAccount ? [`aws:SourceAccount equals ${reader.text(ref.template, p.SourceAccount)}`] : []),
            ],
          }],
        });
        break;
      default:
        break;
    }
  }

  // What acts as each role: any property named like a role that refers to it.
  const usedBy = new Map<string, string[]>();
  for (const { ref, resource } of reader.resources()) {
    if (String(resource.Type).startsWith('AWS::IAM::')) continue;
    const walk = (value: unknown, depth: number) => {
      if (depth > 8 || typeof value !== 'object' || value === null) return;
      for (const [k, v] of Object.entries(value)) {
        const role = /Role(Arn)?$/.test(k) ? reader.target(ref.template, v) : undefined;
        if (role && roleRefs.has(refKey(role))) {
          usedBy.set(refKey(role), [...(usedBy.get(refKey(role)) ?? []), `${wordOf(resource.Type)} ${reader.nameOf(ref)}`]);
        } else {
          walk(v, depth + 1);
        }
      }
    };
    walk(resource.Properties, 0);
  }

  const byPath = new Map(policies.map((policy) => [policy.path, policy]));
  const roles = [...roleRefs.values()].map((ref): AuditRole => {
    const name = reader.nameOf(ref);
    const own = [...(attached.get(refKey(ref)) ?? [])].sort();
    return {
      path: name,
      purpose: purposeOf(reader, ref, reader.resource(ref)!),
      assumedBy: byPath.get(`${name} (trust policy)`)!.statements.flatMap((s) => s.principals),
      usedBy: (usedBy.get(refKey(ref)) ?? []).sort(),
      policies: own,
      awsManagedPolicies: (awsManaged.get(refKey(ref)) ?? []).sort(),
      statements: own.flatMap((path) => byPath.get(path)?.statements ?? []),
    };
  });
  return { roles: roles.sort((a, b) => a.path.localeCompare(b.path)), policies };
}

/** Environment variables of a function. */
const envOf = (resource: Record<string, any>): Record<string, unknown> => resource.Properties?.Environment?.Variables ?? {};

function flowsOf(reader: TemplateReader, input: AuditInput, roles: AuditRole[]): AuditFlow[] {
  const flows = new Map<string, { message: OutboundMessage; recipients: Set<string>; via: Set<string> }>();
  const add = (message: OutboundMessage, via: string, recipients: string[]) => {
    const flow = flows.get(message.id) ?? { message, recipients: new Set<string>(), via: new Set<string>() };
    flow.via.add(via);
    for (const r of recipients) flow.recipients.add(r);
    flows.set(message.id, flow);
  };

  // Topics whose messages are not alarm notifications: the P3 digest's and the report's.
  const topicKinds = new Map<string, OutboundMessage>();
  for (const { ref, resource } of reader.resources()) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const env = envOf(resource);
    for (const [variable, message] of [[DIGEST_ENV.DIGEST_TOPIC_ARN, P3_DIGEST], [REPORT_ENV.TOPIC_ARN, REPORT_NOTIFICATION]] as const) {
      const topic = env[variable] !== undefined ? reader.target(ref.template, env[variable]) : undefined;
      if (topic) topicKinds.set(refKey(topic), message);
    }
  }

  for (const { ref, resource } of reader.resources()) {
    const p = resource.Properties ?? {};
    const name = reader.nameOf(ref);
    if (resource.Type === 'AWS::Lambda::Function' && envOf(resource)[FORWARDER_ENV.EVENTS_URL] !== undefined) {
      const env = envOf(resource);
      const secrets = parseJson(reader.text(ref.template, env[FORWARDER_ENV.KEY_SECRETS]));
      const secretNames = secrets && typeof secrets === 'object' ? Object.entries(secrets as Record<string, string>).map(([severity, secret]) => `${severity} integration key: secret ${secret}`) : [];
      add(PAGERDUTY_EVENTS, `Lambda function ${name}`, [reader.text(ref.template, env[FORWARDER_ENV.EVENTS_URL]), ...secretNames]);
    } else if (resource.Type === 'AWS::Lambda::Function' && envOf(resource)[CHANGE_EVENTS_ENV.CHANGE_EVENTS_URL] !== undefined) {
      const env = envOf(resource);
      const secrets = parseJson(reader.text(ref.template, env[CHANGE_EVENTS_ENV.KEY_SECRETS]));
      const secretNames = Array.isArray(secrets) ? secrets.map((secret) => `integration key: secret ${secret}`) : [];
      add(PAGERDUTY_CHANGE_EVENTS, `Lambda function ${name}`, [reader.text(ref.template, env[CHANGE_EVENTS_ENV.CHANGE_EVENTS_URL]), ...secretNames]);
    } else if (resource.Type === 'AWS::SNS::Subscription' && p.Protocol !== 'lambda' && p.Protocol !== 'sqs') {
      const topic = reader.target(ref.template, p.TopicArn);
      const topicName = topic ? reader.nameOf(topic) : reader.text(ref.template, p.TopicArn);
      const message = String(p.Protocol).startsWith('email') ? (topic && topicKinds.get(refKey(topic))) ?? ALARM_EMAILS : otherDelivery(String(p.Protocol));
      add(message, `SNS subscription ${name}`, [`${reader.text(ref.template, p.Endpoint)} (from ${topicName})`]);
    } else if (resource.Type === 'AWS::Lambda::Function' && outsideUrls(reader, ref.template, resource).length > 0) {
      add(httpsEndpoints(), `Lambda function ${name}`, outsideUrls(reader, ref.template, resource));
    } else if (resource.Type === 'AWS::Chatbot::SlackChannelConfiguration') {
      const topics = asList(p.SnsTopicArns).map((t) => reader.text(ref.template, t));
      add(SLACK_NOTIFICATIONS, `${wordOf(resource.Type)} ${name}`, [`workspace ${reader.text(ref.template, p.SlackWorkspaceId)}, channel ${reader.text(ref.template, p.SlackChannelId)} (from ${topics.join(', ')})`]);
    }
  }

  // SES: whatever acts as a role allowed to send email.
  const ses = input.config.reports?.sesFromAddress;
  for (const role of roles) {
    if (!role.statements.some((s) => s.effect === 'Allow' && s.actions.some((a) => /^ses:Send(Raw)?Email$|^ses:\*$/.test(a)))) continue;
    for (const user of role.usedBy) {
      add(REPORT_SES_EMAIL, user, [...(input.config.reports?.recipients ?? []).map((to) => `${to}${ses ? ` (from ${ses})` : ''}`)]);
    }
  }

  return [...flows.values()].map(({ message, recipients, via }) => ({
    id: message.id,
    title: message.title,
    destination: message.destination,
    transport: message.transport,
    recipients: [...recipients].sort(),
    via: [...via].sort(),
    fields: message.fields,
    neverSent: message.neverSent,
  })).sort((a, b) => a.title.localeCompare(b.title));
}

/** URLs outside AWS in a function's environment: a destination the function may call. */
function outsideUrls(reader: TemplateReader, key: string, resource: Record<string, any>): string[] {
  return Object.values(envOf(resource)).map((value) => reader.text(key, value))
    .filter((text) => /^https?:\/\//.test(text) && !/^https?:\/\/([^/]+\.)?(amazonaws\.com|aws\.amazon\.com)(\/|$)/.test(text));
}

/** A function that calls a URL outside AWS which the pack does not describe field by field. */
function httpsEndpoints(): OutboundMessage {
  return {
    id: 'https-endpoints',
    title: 'Other HTTPS calls from functions',
    destination: 'the URLs in the functions\' environment',
    transport: 'Lambda functions of the stacks',
    fields: [{ field: 'request', content: 'not described by the audit pack: read the function\'s code' }],
    neverSent: [],
  };
}

/** An SNS delivery over a protocol the library does not configure itself (it would come from code added to the stacks). */
function otherDelivery(protocol: string): OutboundMessage {
  return {
    id: `sns-${protocol}`,
    title: `SNS ${protocol} deliveries`,
    destination: `${protocol} endpoints`,
    transport: `Amazon SNS ${protocol} subscriptions`,
    fields: [{ field: 'Message', content: 'each message as published to the topic' }],
    neverSent: [],
  };
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

function deletion(resource: Record<string, any>): string {
  return resource.DeletionPolicy === 'Retain' || resource.DeletionPolicy === 'RetainExceptOnCreate' ? '; kept when the stack is deleted' : '';
}

function dataStoresOf(reader: TemplateReader, input: AuditInput, policies: AuditPolicy[]): AuditDataStore[] {
  const stores: AuditDataStore[] = [];
  const keyText = (key: string, value: unknown) => `customer-managed KMS key ${reader.text(key, value)}`;
  for (const { ref, resource } of reader.resources()) {
    const p = resource.Properties ?? {};
    const path = reader.nameOf(ref);
    const holds = ownDescription(reader, ref, resource) ?? purposeOf(reader, ref, resource);
    switch (resource.Type) {
      case 'AWS::KMS::Key': {
        const encrypts = [...reader.resources()].filter((r) => r.ref !== ref
          && reader.targets(r.ref.template, r.resource.Properties ?? {}).some((t) => refKey(t) === refKey(ref))
          && ['AWS::SNS::Topic', 'AWS::SQS::Queue', 'AWS::Logs::LogGroup', 'AWS::S3::Bucket'].includes(r.resource.Type)).length;
        stores.push({
          path,
          kind: 'KMS key',
          holds: `${holds}; encrypts ${encrypts} of the stores below`,
          encryption: p.EnableKeyRotation ? 'key material rotated yearly' : 'key material not rotated',
          retention: `deleted ${days(p.PendingWindowInDays ?? 30)} after it is scheduled for deletion${deletion(resource)}`,
        });
        break;
      }
      case 'AWS::Logs::LogGroup':
        stores.push({
          path,
          kind: 'log group',
          holds,
          encryption: p.KmsKeyId ? keyText(ref.template, p.KmsKeyId) : 'CloudWatch Logs default encryption (AWS owned key)',
          retention: `${p.RetentionInDays ? days(p.RetentionInDays) : 'never expires'}${deletion(resource)}`,
        });
        break;
      case 'AWS::S3::Bucket': {
        const byDefault = asList(p.BucketEncryption?.ServerSideEncryptionConfiguration)[0] as Record<string, any> | undefined;
        const sse = byDefault?.ServerSideEncryptionByDefault;
        const expirations = asList(p.LifecycleConfiguration?.Rules).map((rule: any) => rule?.ExpirationInDays).filter((d) => typeof d === 'number') as number[];
        stores.push({
          path,
          kind: 'S3 bucket',
          holds,
          encryption: sse?.SSEAlgorithm === 'aws:kms' ? (sse.KMSMasterKeyID ? keyText(ref.template, sse.KMSMasterKeyID) : 'the AWS managed key aws/s3') : 'S3 managed keys (SSE-S3)',
          retention: `${expirations.length ? `objects expire after ${days(Math.min(...expirations))}` : 'objects kept until deleted'}`
            + `${p.VersioningConfiguration?.Status === 'Enabled' ? ', versioned' : ''}${deletion(resource)}`,
        });
        break;
      }
      case 'AWS::SNS::Topic':
        stores.push({
          path,
          kind: 'SNS topic',
          holds,
          encryption: p.KmsMasterKeyId ? keyText(ref.template, p.KmsMasterKeyId) : 'not encrypted at rest',
          retention: 'none: each message is delivered to the subscriptions (with retries), then dropped',
        });
        break;
      case 'AWS::SQS::Queue':
        stores.push({
          path,
          kind: 'SQS queue',
          holds,
          encryption: p.KmsMasterKeyId ? keyText(ref.template, p.KmsMasterKeyId) : p.SqsManagedSseEnabled === false ? 'not encrypted at rest' : 'SQS managed keys (SSE-SQS)',
          retention: `messages kept ${days(Math.round((p.MessageRetentionPeriod ?? 345600) / 86400))}${deletion(resource)}`,
        });
        break;
      default:
        break;
    }
  }
  // Secrets the functions read: created and encrypted by the client, outside these stacks.
  const secrets = new Set<string>();
  for (const statement of policies.flatMap((policy) => policy.statements)) {
    for (const resource of statement.resources) {
      const match = /:secretsmanager:[^:]*:[^:]*:secret:(.+?)(-\?{6})?$/.exec(resource);
      if (match) secrets.add(match[1]);
    }
  }
  for (const secret of [...secrets].sort()) {
    stores.push({
      path: `secret ${secret}`,
      kind: 'Secrets Manager secret (referenced, not created here)',
      holds: 'read by the functions granted it (see the IAM section)',
      encryption: 'Secrets Manager always encrypts with KMS; the key is the one its creator chose',
      retention: 'managed by the client, outside these stacks',
    });
  }
  for (const agent of input.config.agents) {
    for (const group of agent.logGroups ?? []) {
      stores.push({
        path: `log group ${group}`,
        kind: 'telemetry log group (the client\'s, read only)',
        holds: `telemetry of agent ${agent.id}: read by the metric filters, queries and report`,
        encryption: 'as the client set it',
        retention: 'as the client set it',
      });
    }
  }
  return stores;
}

function nagOf(input: AuditInput): AuditNag {
  // The same acknowledgement read twice (construct metadata, and copied onto each resource below it): the highest one.
  const unique = input.acknowledgements.filter((a, i, all) => !all.some((b, j) => j !== i && b.ruleId === a.ruleId && b.reason === a.reason
    && (a.constructPath.startsWith(`${b.constructPath}/`) || (a.constructPath === b.constructPath && j < i))));
  const acknowledgements = [...unique].sort((a, b) => a.constructPath.localeCompare(b.constructPath) || a.ruleId.localeCompare(b.ruleId));
  const reasonFor = (ruleId: string, resource: string): string | undefined => acknowledgements
    .filter((a) => a.ruleId === ruleId && (resource === a.constructPath || resource.startsWith(`${a.constructPath}/`)))
    .sort((a, b) => b.constructPath.length - a.constructPath.length)[0]?.reason;
  const packs = new Map<string, { stacks: Set<string>; compliant: number; nonCompliant: number; suppressed: number }>();
  const findings: AuditNagFinding[] = [];
  for (const report of input.nagReports) {
    const pack = packs.get(report.pack) ?? { stacks: new Set<string>(), compliant: 0, nonCompliant: 0, suppressed: 0 };
    packs.set(report.pack, pack);
    pack.stacks.add(report.stack);
    for (const line of report.lines) {
      if (line.compliance === 'Compliant') {
        pack.compliant++;
        continue;
      }
      if (line.compliance === SUPPRESSED) pack.suppressed++;
      else pack.nonCompliant++;
      const given = line.exceptionReason === NO_EXCEPTION ? undefined : line.exceptionReason;
      const reason = given || (line.compliance === SUPPRESSED ? reasonFor(line.ruleId, line.resourceId) : undefined);
      findings.push({
        pack: report.pack,
        ruleId: line.ruleId,
        resource: readablePath(line.resourceId.replace(/^\//, '')),
        compliance: line.compliance,
        ruleInfo: line.ruleInfo,
        ...(reason ? { reason } : {}),
      });
    }
  }
  return {
    packs: [...packs]
      .map(([pack, p]) => ({ pack, stacks: [...p.stacks].sort(), compliant: p.compliant, nonCompliant: p.nonCompliant, suppressed: p.suppressed }))
      .sort((a, b) => a.pack.localeCompare(b.pack)),
    findings: findings.sort((a, b) => a.pack.localeCompare(b.pack) || a.resource.localeCompare(b.resource) || a.ruleId.localeCompare(b.ruleId)),
    acknowledgements,
  };
}

/** AWS managed policies that allow cloudwatch:GetDashboard (through cloudwatch:Get* or *). */
const AWS_MANAGED_DASHBOARD_READERS = ['ReadOnlyAccess', 'CloudWatchReadOnlyAccess', 'CloudWatchFullAccess', 'CloudWatchFullAccessV2', 'AdministratorAccess', 'ViewOnlyAccess'];

const allows = (statement: AuditStatement, action: RegExp) => statement.effect === 'Allow' && statement.actions.some((a) => action.test(a));

function answersOf(reader: TemplateReader, roles: AuditRole[], flows: AuditFlow[]): AuditAnswer[] {
  const describe = (role: AuditRole) => `${role.path}, assumed by ${role.assumedBy.join('; ') || 'no one'}`;
  const dashboardReaders = roles.filter((role) => role.statements.some((s) => allows(s, /^(cloudwatch:(GetDashboard|Get\*|\*)|\*)$/))
    || role.awsManagedPolicies.some((p) => AWS_MANAGED_DASHBOARD_READERS.includes(p)));
  const functions = [...reader.resources()].filter((r) => r.resource.Type === 'AWS::Lambda::Function');
  const roleOf = (fn: { ref: ResourceRef; resource: Record<string, any> }) => {
    const target = reader.target(fn.ref.template, fn.resource.Properties?.Role);
    return target ? roles.find((role) => role.path === reader.nameOf(target)) : undefined;
  };
  return [
    {
      question: 'Who can read the dashboards?',
      answer: [
        ...dashboardReaders.map(describe),
        'and any principal of the account whose own IAM policies (outside these stacks) allow cloudwatch:GetDashboard',
      ],
    },
    {
      question: 'What may each function call?',
      answer: functions.map((fn) => {
        const role = roleOf(fn);
        const calls = [...new Set((role?.statements ?? []).filter((s) => s.effect === 'Allow').flatMap((s) => s.actions))].sort();
        return `${reader.nameOf(fn.ref)}: ${calls.join(', ') || 'nothing beyond its role\'s AWS managed policies'}${role?.awsManagedPolicies.length ? ` (and ${role.awsManagedPolicies.join(', ')})` : ''}`;
      }),
    },
    {
      question: 'Who may assume each role?',
      answer: roles.map(describe),
    },
    {
      question: 'What leaves the account?',
      answer: flows.map((flow) => `${flow.title}: to ${flow.destination}`),
    },
  ];
}

/** The audit pack of one client. */
export function buildAuditModel(input: AuditInput): AuditModel {
  const reader = new TemplateReader(input.templates);
  const resources: AuditResource[] = [...reader.resources()].map(({ ref, resource, path }) => ({
    path: readablePath(path),
    type: String(resource.Type),
    purpose: purposeOf(reader, ref, resource),
    template: ref.template,
    logicalId: ref.logicalId,
  }));
  const { roles, policies } = iamOf(reader);
  const flows = flowsOf(reader, input, roles);
  const stackNames = [...new Set(input.templates.map((t) => t.stackName))];
  return {
    clientId: input.config.clientId,
    displayName: input.config.displayName,
    generatedAt: input.generatedAt,
    libraryVersion: input.libraryVersion,
    stacks: stackNames.map((stack) => ({ stack, templates: input.templates.filter((t) => t.stackName === stack).map((t) => t.label) })),
    answers: answersOf(reader, roles, flows),
    resources,
    roles,
    policies,
    flows,
    dataStores: dataStoresOf(reader, input, policies),
    nag: nagOf(input),
    ...(input.monitoringCost ? { monitoringCost: input.monitoringCost } : {}),
  };
}

/** The acknowledgements recorded in construct metadata (`aws:cdk:acknowledged-rules`), by construct path. */
export function acknowledgementsFromMetadata(metadata: Record<string, Array<{ type: string; data?: unknown }>>): AuditAcknowledgement[] {
  const found: AuditAcknowledgement[] = [];
  for (const [constructPath, entries] of Object.entries(metadata)) {
    for (const entry of entries) {
      if (entry.type !== 'aws:cdk:acknowledged-rules' || typeof entry.data !== 'object' || entry.data === null) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        found.push({ constructPath: constructPath.replace(/^\//, ''), ruleId: id.replace(/^annotation::/i, ''), reason: String(reason) });
      }
    }
  }
  return found;
}

/** The acknowledgements cdk-nag writes into the templates (`Metadata.cdk_nag.rules_to_suppress`). */
export function acknowledgementsFromTemplates(templates: AuditTemplate[]): AuditAcknowledgement[] {
  const reader = new TemplateReader(templates);
  const found: AuditAcknowledgement[] = [];
  for (const { resource, path } of reader.resources()) {
    for (const rule of asList(resource.Metadata?.cdk_nag?.rules_to_suppress) as Array<Record<string, unknown>>) {
      if (typeof rule?.id !== 'string') continue;
      found.push({ constructPath: path, ruleId: rule.id, reason: String(rule.reason ?? '') });
    }
  }
  return found;
}
