/*
 * The audit pack's pure core on small hand-written templates: references read as construct
 * paths (through nested stack parameters), IAM roles and resource policies, outbound flows,
 * data stores, cdk-nag reports and acknowledgements, and the renderers' escaping.
 */
import fc from 'fast-check';
import { acknowledgementsFromMetadata, acknowledgementsFromTemplates, buildAuditModel } from '../../lib/audit/build';
import { AuditInput, AuditModel, AuditTemplate } from '../../lib/audit/model';
import { TemplateReader } from '../../lib/audit/references';
import { renderAuditHtml, renderAuditMarkdown } from '../../lib/audit/render';
import { ClientConfig } from '../../lib/config';
import { REPORT_ENV } from '../../lib/reporting/report-function';
import { ALARM_EMAILS, P3_DIGEST, PAGERDUTY_EVENTS, SLACK_NOTIFICATIONS } from '../../lib/routing/outbound';
import { DIGEST_ENV, FORWARDER_ENV } from '../../lib/routing/sla';
import { exampleConfig } from '../support/example';

const at = (path: string) => ({ 'aws:cdk:path': path });
const config: ClientConfig = exampleConfig();

/** A root stack with a role, a function, topics and a nested stack whose alarm publishes to a root topic. */
function templates(): AuditTemplate[] {
  const root = {
    Resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: { Description: 'client key', EnableKeyRotation: true, KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } }, Action: 'kms:*', Resource: '*' }] } }, Metadata: at('s/AiOps/Key/Resource') },
      P1: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'P1 alerts', KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } }, Metadata: at('s/AiOps/P1/Resource') },
      Digest: { Type: 'AWS::SNS::Topic', Properties: {}, Metadata: at('s/AiOps/Digest/Resource') },
      P1Mail: { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: 'P1' } }, Metadata: at('s/AiOps/P1/oncall') },
      DigestMail: { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'email', Endpoint: 'team@example.com', TopicArn: { Ref: 'Digest' } }, Metadata: at('s/AiOps/Digest/team') },
      Hook: { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'https', Endpoint: 'https://hooks.example.com/x', TopicArn: { Ref: 'P1' } }, Metadata: at('s/Custom/Hook') },
      P1Policy: { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: [{ Ref: 'P1' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: 'P1' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }] } }, Metadata: at('s/AiOps/P1/Policy/Resource') },
      Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, Policies: [{ PolicyName: 'inline', PolicyDocument: { Statement: { Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: { 'Fn::GetAtt': ['Logs', 'Arn'] } } } }], ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']] }, { Ref: 'Managed' }] }, Metadata: at('s/AiOps/Role/Resource') },
      RolePolicy: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:cdk-ai-ops/example/pagerduty-p1-??????' }, { Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' }] } }, Metadata: at('s/AiOps/Role/DefaultPolicy/Resource') },
      Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { Description: 'read dashboards', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'cloudwatch:GetDashboard', Resource: '*' }] } }, Metadata: at('s/AiOps/Managed/Resource') },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] }, RetentionInDays: 365 }, DeletionPolicy: 'Retain', Metadata: at('s/AiOps/Logs/Resource') },
      Plain: { Type: 'AWS::Logs::LogGroup', Properties: {}, Metadata: at('s/AiOps/Plain/Resource') },
      Forwarder: { Type: 'AWS::Lambda::Function', Properties: { Description: 'forwards alarms', Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Environment: { Variables: { [FORWARDER_ENV.EVENTS_URL]: 'https://events.pagerduty.com/v2/enqueue', [FORWARDER_ENV.KEY_SECRETS]: '{"P1":"cdk-ai-ops/example/pagerduty-p1"}' } } }, Metadata: at('s/AiOps/Forwarder/Resource') },
      DigestFn: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, Environment: { Variables: { [DIGEST_ENV.DIGEST_TOPIC_ARN]: { Ref: 'Digest' } } } }, Metadata: at('s/AiOps/DigestFn/Resource') },
      Caller: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { HOOK: 'https://api.example.com/changes', QUEUE: 'https://sqs.us-east-1.amazonaws.com/1/q' } } }, Metadata: at('s/Custom/Caller/Resource') },
      Invoke: { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': ['Forwarder', 'Arn'] }, Principal: 'sns.amazonaws.com', SourceArn: { Ref: 'P1' } }, Metadata: at('s/AiOps/Forwarder/Invoke') },
      Slack: { Type: 'AWS::Chatbot::SlackChannelConfiguration', Properties: { SlackWorkspaceId: 'T1', SlackChannelId: 'C1', IamRoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] }, SnsTopicArns: [{ Ref: 'P1' }] }, Metadata: at('s/AiOps/Slack/Resource') },
      Queue: { Type: 'AWS::SQS::Queue', Properties: {}, Metadata: at('s/AiOps/Queue/Resource') },
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] }, LifecycleConfiguration: { Rules: [{ ExpirationInDays: 90, Status: 'Enabled' }] } }, Metadata: at('s/AiOps/Bucket/Resource') },
      Nested: { Type: 'AWS::CloudFormation::Stack', Properties: { Parameters: { P1Ref: { Ref: 'P1' } } }, Metadata: at('s/AiOps/Agent.NestedStack/Agent.NestedStackResource') },
    },
  };
  const nested = {
    Parameters: { P1Ref: { Type: 'String' } },
    Resources: {
      Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmDescription: '[P1] the agent is down.\nRunbook: x', AlarmActions: [{ Ref: 'P1Ref' }] }, Metadata: at('s/AiOps/Agent/Down/Resource') },
      Bare: { Type: 'AWS::CloudWatch::Dashboard', Properties: {} },
    },
  };
  return [
    { key: 's/Nested', stackName: 's', label: 's/AiOps/Agent', template: nested, parent: { key: 's', logicalId: 'Nested' } },
    { key: 's', stackName: 's', label: 's', template: root },
  ];
}

function input(overrides: Partial<AuditInput> = {}): AuditInput {
  return { config, templates: templates(), acknowledgements: [], nagReports: [], generatedAt: '2026-11-29T00:00:00.000Z', libraryVersion: '1.2.3', ...overrides };
}

describe('TemplateReader', () => {
  const reader = new TemplateReader(templates());

  test('reads a Ref in a nested stack through the parameter its parent passes, as the target\'s construct path', () => {
    const alarm = reader.resource({ template: 's/Nested', logicalId: 'Alarm' })!;
    expect(reader.text('s/Nested', alarm.Properties.AlarmActions[0])).toBe('<s/AiOps/P1>');
    expect(reader.target('s/Nested', alarm.Properties.AlarmActions[0])).toEqual({ template: 's', logicalId: 'P1' });
  });

  test('reads pseudo parameters, Join, Sub, GetAtt with an attribute, and an unknown parameter', () => {
    expect(reader.text('s', { 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }]] })).toBe('arn:aws:<region>:<account>');
    expect(reader.text('s', { 'Fn::Sub': 'x-${AWS::Region}-${Key.Arn}-${v}' })).toBe('x-<region>-<s/AiOps/Key>-<parameter v>');
    expect(reader.text('s', { 'Fn::Sub': ['${v}!', { v: { Ref: 'P1' } }] })).toBe('<s/AiOps/P1>!');
    expect(reader.text('s', { 'Fn::GetAtt': ['P1', 'TopicName'] })).toBe('<s/AiOps/P1 TopicName>');
    expect(reader.text('s/Nested', { Ref: 'Missing' })).toBe('<parameter Missing>');
  });

  test('names a resource without aws:cdk:path by its template label and logical id', () => {
    expect(reader.pathOf({ template: 's/Nested', logicalId: 'Bare' })).toBe('s/AiOps/Agent/Bare');
  });
});

describe('buildAuditModel', () => {
  const model: AuditModel = buildAuditModel(input());

  test('lists every resource of every template with a purpose from its own description, else from its construct path', () => {
    expect(model.resources).toHaveLength(templates().reduce((n, t) => n + Object.keys(t.template.Resources).length, 0));
    const purpose = (path: string) => model.resources.find((r) => r.path === path)?.purpose;
    expect(purpose('s/AiOps/Agent/Down')).toBe('CloudWatch alarm: [P1] the agent is down.');
    expect(purpose('s/AiOps/Forwarder')).toBe('Lambda function: forwards alarms');
    expect(purpose('s/AiOps/Queue')).toBe('SQS queue Queue of s/AiOps');
    expect(purpose('s/AiOps/Agent/Bare')).toBe('dashboard Bare of s/AiOps/Agent');
  });

  test('gives each role its trust principals, what acts as it, and every statement of its inline, attached and managed policies', () => {
    expect(model.roles).toHaveLength(1);
    const [role] = model.roles;
    expect(role).toMatchObject({
      path: 's/AiOps/Role',
      assumedBy: ['the AWS service lambda.amazonaws.com'],
      usedBy: ['AWS Chatbot Slack channel s/AiOps/Slack', 'Lambda function s/AiOps/DigestFn', 'Lambda function s/AiOps/Forwarder'],
      policies: ['s/AiOps/Managed', 's/AiOps/Role/DefaultPolicy', 's/AiOps/Role/inline'],
      awsManagedPolicies: ['ReadOnlyAccess'],
    });
    expect(role.statements.map((s) => s.actions.join())).toEqual(['cloudwatch:GetDashboard', 'secretsmanager:GetSecretValue', 'ses:SendEmail', 'logs:PutLogEvents']);
    expect(role.statements.find((s) => s.actions[0] === 'logs:PutLogEvents')!.resources).toEqual(['<s/AiOps/Logs>']);
  });

  test('reads resource policies and invoke permissions with their principals and conditions', () => {
    const topicPolicy = model.policies.find((p) => p.path === 's/AiOps/P1/Policy')!;
    expect(topicPolicy).toMatchObject({ kind: 'resource policy', attachedTo: ['<s/AiOps/P1>'] });
    expect(topicPolicy.statements[0]).toMatchObject({ principals: ['the AWS service cloudwatch.amazonaws.com'], actions: ['sns:Publish'], conditions: ['aws:SourceAccount StringEquals <account>'] });
    const key = model.policies.find((p) => p.path === 's/AiOps/Key (key policy)')!;
    expect(key.statements[0].principals).toEqual(['IAM principals of account <account> whose own policies allow it']);
    const invoke = model.policies.find((p) => p.kind === 'invoke permission')!;
    expect(invoke.statements[0]).toMatchObject({ principals: ['the AWS service sns.amazonaws.com'], actions: ['lambda:InvokeFunction'], conditions: ['aws:SourceArn equals <s/AiOps/P1>'] });
  });

  test('answers who can read the dashboards from the statements that allow it, or an AWS managed policy that does', () => {
    expect(model.answers.find((a) => a.question === 'Who can read the dashboards?')!.answer[0]).toBe('s/AiOps/Role, assumed by the AWS service lambda.amazonaws.com');
    const t = templates();
    t[1].template.Resources.Managed.Properties.PolicyDocument.Statement[0].Action = 'cloudwatch:ListMetrics';
    const readers = (ts: AuditTemplate[]) => buildAuditModel(input({ templates: ts })).answers.find((a) => a.question === 'Who can read the dashboards?')!.answer;
    expect(readers(t)).toHaveLength(2); // through ReadOnlyAccess
    t[1].template.Resources.Role.Properties.ManagedPolicyArns = [{ Ref: 'Managed' }];
    expect(readers(t)).toHaveLength(1); // only the closing line about policies outside the stacks
  });

  test('finds every outbound flow: PagerDuty, alarm and digest emails by topic, Slack, SES by permission, and an unknown protocol', () => {
    const byId = Object.fromEntries(model.flows.map((f) => [f.id, f]));
    expect(Object.keys(byId).sort()).toEqual(['alarm-emails', 'https-endpoints', 'p3-digest', 'pagerduty-events', 'report-ses-email', 'slack', 'sns-https']);
    // A URL outside AWS in a function's environment is listed, undescribed; an AWS endpoint is not.
    expect(byId['https-endpoints']).toMatchObject({ via: ['Lambda function s/Custom/Caller'], recipients: ['https://api.example.com/changes'] });
    expect(byId['pagerduty-events']).toMatchObject({ fields: PAGERDUTY_EVENTS.fields, via: ['Lambda function s/AiOps/Forwarder'] });
    expect(byId['pagerduty-events'].recipients).toEqual(['P1 integration key: secret cdk-ai-ops/example/pagerduty-p1', 'https://events.pagerduty.com/v2/enqueue']);
    expect(byId['alarm-emails']).toMatchObject({ fields: ALARM_EMAILS.fields, recipients: ['oncall@example.com (from s/AiOps/P1)'] });
    expect(byId['p3-digest']).toMatchObject({ fields: P3_DIGEST.fields, recipients: ['team@example.com (from s/AiOps/Digest)'] });
    expect(byId.slack).toMatchObject({ fields: SLACK_NOTIFICATIONS.fields, recipients: ['workspace T1, channel C1 (from <s/AiOps/P1>)'] });
    expect(byId['report-ses-email'].via).toEqual(['AWS Chatbot Slack channel s/AiOps/Slack', 'Lambda function s/AiOps/DigestFn', 'Lambda function s/AiOps/Forwarder']);
    expect(byId['sns-https']).toMatchObject({ recipients: ['https://hooks.example.com/x (from s/AiOps/P1)'], neverSent: [] });
  });

  test('a topic the report function publishes to is the report notification', () => {
    const t = templates();
    (t[1].template.Resources.DigestFn.Properties.Environment.Variables as Record<string, unknown>) = { [REPORT_ENV.TOPIC_ARN]: { Ref: 'Digest' } };
    expect(buildAuditModel(input({ templates: t })).flows.map((f) => f.id)).toContain('report-notification');
  });

  test('states the encryption and retention of every store, and the secrets and telemetry log groups referenced', () => {
    const store = (path: string) => model.dataStores.find((d) => d.path === path);
    expect(store('s/AiOps/Key')).toMatchObject({ encryption: 'key material rotated yearly', holds: 'client key; encrypts 2 of the stores below' });
    expect(store('s/AiOps/Logs')).toMatchObject({ encryption: 'customer-managed KMS key <s/AiOps/Key>', retention: '365 days; kept when the stack is deleted' });
    expect(store('s/AiOps/Plain')).toMatchObject({ encryption: 'CloudWatch Logs default encryption (AWS owned key)', retention: 'never expires' });
    expect(store('s/AiOps/Digest')).toMatchObject({ encryption: 'not encrypted at rest' });
    expect(store('s/AiOps/Queue')).toMatchObject({ encryption: 'SQS managed keys (SSE-SQS)', retention: 'messages kept 4 days' });
    expect(store('s/AiOps/Bucket')).toMatchObject({ encryption: 'S3 managed keys (SSE-S3)', retention: 'objects expire after 90 days' });
    expect(store('secret cdk-ai-ops/example/pagerduty-p1')).toBeDefined();
    const telemetry = config.agents.flatMap((a) => a.logGroups ?? []);
    expect(model.dataStores.filter((d) => d.kind.startsWith('telemetry log group')).map((d) => d.path)).toEqual(telemetry.map((g) => `log group ${g}`));
  });

  test('counts cdk-nag results per pack and gives each acknowledged finding its reason, from the report or the acknowledgement', () => {
    // GIVEN one report line with its reason and one without, and the acknowledgement recorded twice (metadata and template)
    const m = buildAuditModel(input({
      nagReports: [{
        pack: 'AwsSolutions',
        stack: 's',
        lines: [
          { ruleId: 'AwsSolutions-SNS2', resourceId: 's/AiOps/P1/Resource', compliance: 'Compliant', exceptionReason: 'N/A', ruleLevel: 'Error', ruleInfo: 'i' },
          { ruleId: 'AwsSolutions-IAM5[Resource::*]', resourceId: 's/AiOps/Role/DefaultPolicy/Resource', compliance: 'Suppressed', exceptionReason: 'N/A', ruleLevel: 'Error', ruleInfo: 'wildcard' },
          { ruleId: 'AwsSolutions-SQS3', resourceId: 's/AiOps/Queue/Resource', compliance: 'Suppressed', exceptionReason: 'it is a DLQ', ruleLevel: 'Error', ruleInfo: 'dlq' },
          { ruleId: 'AwsSolutions-S1', resourceId: 's/AiOps/Bucket/Resource', compliance: 'Non-Compliant', exceptionReason: 'N/A', ruleLevel: 'Error', ruleInfo: 'no access logs' },
        ],
      }],
      acknowledgements: [
        { constructPath: 's/AiOps/Role', ruleId: 'AwsSolutions-IAM5[Resource::*]', reason: 'X-Ray has no resource-level permissions' },
        { constructPath: 's/AiOps/Role/DefaultPolicy/Resource', ruleId: 'AwsSolutions-IAM5[Resource::*]', reason: 'X-Ray has no resource-level permissions' },
      ],
    }));
    // THEN
    expect(m.nag.packs).toEqual([{ pack: 'AwsSolutions', stacks: ['s'], compliant: 1, nonCompliant: 1, suppressed: 2 }]);
    expect(m.nag.findings.map((f) => [f.ruleId, f.resource, f.reason])).toEqual([
      ['AwsSolutions-S1', 's/AiOps/Bucket', undefined],
      ['AwsSolutions-SQS3', 's/AiOps/Queue', 'it is a DLQ'],
      ['AwsSolutions-IAM5[Resource::*]', 's/AiOps/Role/DefaultPolicy', 'X-Ray has no resource-level permissions'],
    ]);
    expect(m.nag.acknowledgements).toEqual([{ constructPath: 's/AiOps/Role', ruleId: 'AwsSolutions-IAM5[Resource::*]', reason: 'X-Ray has no resource-level permissions' }]);
  });
});

describe('acknowledgements', () => {
  test('are read from construct metadata (annotation:: prefix dropped) and from cdk_nag template metadata', () => {
    expect(acknowledgementsFromMetadata({
      '/s/AiOps/Queue': [{ type: 'aws:cdk:acknowledged-rules', data: { 'annotation::Serverless-SQSRedrivePolicy': 'a DLQ' } }, { type: 'aws:cdk:logicalId', data: 'Q' }],
    })).toEqual([{ constructPath: 's/AiOps/Queue', ruleId: 'Serverless-SQSRedrivePolicy', reason: 'a DLQ' }]);
    const t = templates();
    t[1].template.Resources.Queue.Metadata.cdk_nag = { rules_to_suppress: [{ id: 'AwsSolutions-SQS3', reason: 'a DLQ' }] };
    expect(acknowledgementsFromTemplates(t)).toEqual([{ constructPath: 's/AiOps/Queue/Resource', ruleId: 'AwsSolutions-SQS3', reason: 'a DLQ' }]);
  });
});

describe('renderers', () => {
  /** A model whose strings all carry `text`. */
  const modelWith = (text: string): AuditModel => {
    const t = templates();
    t[1].template.Resources.Forwarder.Properties.Description = text;
    return buildAuditModel(input({ templates: t, acknowledgements: [{ constructPath: 's/AiOps', ruleId: 'R', reason: text }] }));
  };
  const tagsOutsideCode = (html: string) => (html.replace(/<\/?code>/g, '').match(/</g) ?? []).length;

  test('the HTML escapes every string from the templates: none adds an element', () => {
    const baseline = tagsOutsideCode(renderAuditHtml(modelWith('plain')));
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('`')), (text) => {
      expect(tagsOutsideCode(renderAuditHtml(modelWith(text)))).toBe(baseline);
    }), { numRuns: 60 });
    expect(renderAuditHtml(modelWith('<script>alert(1)</script>'))).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('every Markdown table row has as many cells as its header, whatever the strings hold', () => {
    fc.assert(fc.property(fc.string({ maxLength: 30 }), (text) => {
      const lines = renderAuditMarkdown(modelWith(text)).split('\n');
      let columns = 0;
      for (const line of lines) {
        if (!line.startsWith('|')) {
          columns = 0;
          continue;
        }
        const cells = line.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length;
        if (columns === 0) columns = cells;
        expect(cells).toBe(columns);
      }
    }), { numRuns: 60 });
  });

  test('the HTML has every section and loads nothing: no script, no link, no src', () => {
    const html = renderAuditHtml(modelWith('x'));
    for (const id of ['answers', 'outbound', 'iam', 'data-stores', 'cdk-nag', 'cost', 'resources']) expect(html).toContain(`id="${id}"`);
    expect(html).not.toMatch(/<script|<link|\ssrc=|url\(/i);
  });
});
