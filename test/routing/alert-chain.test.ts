import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../lambda/pagerduty-forwarder/handler';
import { AlarmMetadata, decodeAlarmMetadata, encodeAlarmMetadata } from '../../lib/common/alarm-metadata';
import { Severity } from '../../lib/config';
import { FORWARDER_ENV } from '../../lib/routing';
import { eventBridgeEvent, snsMessage, snsRecord, SynthesizedAlarm } from '../support/alarm-notifications';
import { exampleStack } from '../support/example';
import { PagerDutyStandIn } from '../support/pagerduty-stand-in';
import { rendered } from '../support/templates';

/*
 * The whole chain for every alarm of the example client: the alarm as synthesized, the notification
 * CloudWatch would send for it (SNS and EventBridge formats), the forwarder as deployed (its
 * environment from the template), and a local Events API v2 stand-in.
 */
const stack = exampleStack();
const root = Template.fromStack(stack);
const templates = [root, ...stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack).map((n) => Template.fromStack(n))];

const topicArn = (severity: string) => `arn:aws:sns:us-east-1:111122223333:example-ai-ops-${severity.toLowerCase()}`;
const topicPrefixes = Object.entries(root.findResources('AWS::SNS::Topic')).flatMap(([id, r]: [string, any]) => {
  const severity = /-(p[123])$/.exec(r.Properties.TopicName)?.[1];
  return severity ? [{ prefix: id.slice(0, -8), severity: severity.toUpperCase() as Severity }] : [];
});
/** The severity topic an alarm action points at (a Ref in the root stack, a parameter in nested stacks). */
const severityOfAction = (action: any): Severity | undefined => topicPrefixes.find((t) => String(action.Ref).includes(t.prefix))?.severity;

const alarms: Array<SynthesizedAlarm & { severity?: Severity; actions: boolean }> = templates.flatMap((template) => [
  ...Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r: any) => ({ r, composite: false })),
  ...Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm')).map((r: any) => ({ r, composite: true })),
]).map(({ r, composite }) => ({
  name: r.Properties.AlarmName ?? r.Properties.CompositeAlarmName,
  description: rendered(r.Properties.AlarmDescription),
  properties: r.Properties,
  composite,
  severity: r.Properties.AlarmActions ? severityOfAction(r.Properties.AlarmActions[0]) : undefined,
  actions: r.Properties.AlarmActions !== undefined,
}));

const forwarder: any = Object.values(root.findResources('AWS::Lambda::Function')).find((f: any) => f.Properties.Environment?.Variables?.[FORWARDER_ENV.KEY_SECRETS]);
const keySecrets: Record<string, string> = JSON.parse(forwarder.Properties.Environment.Variables[FORWARDER_ENV.KEY_SECRETS]);
const KEYS: Record<string, string> = { P1: '1'.repeat(32), P2: '2'.repeat(32), P3: '3'.repeat(32) };

describe('the alert chain, for every alarm of the example client', () => {
  const standIn = new PagerDutyStandIn();
  const secrets = mockClient(SecretsManagerClient);
  let forward: ReturnType<typeof createHandler>;

  beforeAll(async () => {
    const url = await standIn.start();
    for (const [severity, name] of Object.entries(keySecrets)) {
      secrets.on(GetSecretValueCommand, { SecretId: name }).resolves({ SecretString: KEYS[severity] });
    }
    forward = createHandler({
      secrets: new SecretsManagerClient({}),
      fetch: globalThis.fetch,
      sleep: async () => undefined,
      random: () => 0.5,
      now: () => 0,
      env: {
        ...forwarder.Properties.Environment.Variables,
        // As deployed, the topic ARNs are resolved by CloudFormation.
        [FORWARDER_ENV.TOPIC_SEVERITIES]: JSON.stringify(Object.fromEntries(Object.keys(keySecrets).map((s) => [topicArn(s), s]))),
        [FORWARDER_ENV.EVENTS_URL]: url,
      },
      log: () => undefined,
    });
  });
  afterAll(async () => standIn.stop());
  beforeEach(() => standIn.reset());

  test('every paging alarm has actions: to a severity topic, or for the dead-letter alarm to its own; the others feed composites', () => {
    expect(alarms).toHaveLength(stack.aiOps.alarms().length);
    expect(alarms.filter((a) => a.actions && !a.severity).map((a) => a.name)).toEqual(['example-undelivered-alerts']);
    const withoutActions = alarms.filter((a) => !a.actions).map((a) => a.name).sort();
    expect(withoutActions).toEqual(stack.aiOps.alarms().filter((a) => !a.pages).map((a) => a.alarmName).sort());
  });

  const routed = () => alarms.filter((a) => a.severity);

  test.each(['SNS', 'EventBridge'])('%s format: P1 and P2 alarms page with their severity and resolve the same incident; P3 waits for the digest', async (format) => {
    for (const alarm of routed()) {
      const notify = async (state: 'ALARM' | 'OK') => (format === 'SNS'
        ? forward({ Records: [snsRecord(snsMessage(alarm, state, state === 'ALARM' ? 'OK' : 'ALARM'), topicArn(alarm.severity!))] })
        : forward(eventBridgeEvent(alarm, state) as any));
      standIn.reset();
      await notify('ALARM');
      await notify('OK');
      const sent = standIn.received;
      if (alarm.severity === Severity.P3) {
        expect({ alarm: alarm.name, sent: sent.length }).toEqual({ alarm: alarm.name, sent: 0 });
        continue;
      }
      expect({ alarm: alarm.name, problems: sent.flatMap((r) => r.problems), statuses: sent.map((r) => r.status) })
        .toEqual({ alarm: alarm.name, problems: [], statuses: [202, 202] });
      const [trigger, resolve] = sent.map((r) => r.body);
      expect({ alarm: alarm.name, action: trigger.event_action, key: trigger.routing_key, severity: trigger.payload.severity }).toEqual({
        alarm: alarm.name, action: 'trigger', key: KEYS[alarm.severity!], severity: alarm.severity === Severity.P1 ? 'critical' : 'error',
      });
      expect(trigger.payload.summary).toContain(alarm.name);
      expect(resolve).toEqual({ routing_key: KEYS[alarm.severity!], event_action: 'resolve', dedup_key: trigger.dedup_key });
    }
  });

  /**
   * The alarm with its metadata line: the one it was synthesized with, else the line the alarm factory writes
   * (severity, kind, cause, owner). The `[Px]` prefix is removed, so severity can only come from the line.
   */
  const withMetadata = (alarm: SynthesizedAlarm & { severity?: Severity }): { alarm: SynthesizedAlarm; metadata: AlarmMetadata } => {
    const prose = alarm.description.replace(/^\[P[123]\] /, '');
    const synthesized = decodeAlarmMetadata(alarm.description);
    if (synthesized) return { alarm: { ...alarm, description: prose }, metadata: synthesized };
    const metadata: AlarmMetadata = { severity: alarm.severity!, kind: 'chain-test', cause: `alarm/${alarm.name}`, owner: 'team support-ai' };
    return { alarm: { ...alarm, description: `${prose}\n${encodeAlarmMetadata(metadata)}` }, metadata };
  };

  test('the metadata path: from EventBridge, with no severity topic and no [Px] prefix, the metadata line gives severity, owner, '
    + 'cause and the cause\'s dedup key; the OK resolves it', async () => {
    for (const routedAlarm of routed()) {
      const { alarm, metadata } = withMetadata(routedAlarm);
      standIn.reset();
      await forward(eventBridgeEvent(alarm, 'ALARM') as any);
      await forward(eventBridgeEvent(alarm, 'OK') as any);
      if (metadata.severity === Severity.P3) {
        expect({ alarm: alarm.name, sent: standIn.received.length }).toEqual({ alarm: alarm.name, sent: 0 });
        continue;
      }
      expect({ alarm: alarm.name, problems: standIn.received.flatMap((r) => r.problems), statuses: standIn.received.map((r) => r.status) })
        .toEqual({ alarm: alarm.name, problems: [], statuses: [202, 202] });
      const [trigger, resolve] = standIn.received.map((r) => r.body);
      expect({ alarm: alarm.name, key: trigger.routing_key, severity: trigger.payload.severity, dedup: trigger.dedup_key }).toEqual({
        alarm: alarm.name,
        key: KEYS[metadata.severity],
        severity: metadata.severity === Severity.P1 ? 'critical' : 'error',
        // A cause too long for PagerDuty keeps its start and gets a hash of the whole.
        dedup: `cdk-ai-ops/example/${metadata.cause}`.length <= 255 ? `cdk-ai-ops/example/${metadata.cause}` : expect.stringMatching(/^cdk-ai-ops\/example\/.+#[0-9a-f]{16}$/s),
      });
      expect(trigger.payload.custom_details).toEqual(expect.objectContaining({
        kind: metadata.kind, cause: metadata.cause, ...(metadata.owner ? { owner: metadata.owner } : {}),
      }));
      expect(resolve).toEqual({ routing_key: trigger.routing_key, event_action: 'resolve', dedup_key: trigger.dedup_key });
    }
  });

  test('one cause, one incident: two alarms naming the same cause append to one PagerDuty alert, whichever format', async () => {
    const productionDown = alarms.find((a) => a.name === 'example-production-down')!;
    const latency = routed().find((a) => a.severity === Severity.P2)!;
    const cause: AlarmMetadata = { severity: Severity.P1, kind: 'model-outage', cause: 'model/bedrock/anthropic.claude-sonnet-4-5', affects: ['answer/draft-reply'] };
    const naming = (alarm: SynthesizedAlarm) => ({ ...alarm, description: `${alarm.description}\n${encodeAlarmMetadata(cause)}` });
    await forward({ Records: [snsRecord(snsMessage(naming(productionDown), 'ALARM', 'OK'), topicArn('P1'))] });
    await forward(eventBridgeEvent(naming(latency), 'ALARM') as any);
    expect(standIn.received.map((r) => [r.status, r.body.dedup_key, r.body.payload.severity])).toEqual([
      [202, 'cdk-ai-ops/example/model/bedrock/anthropic.claude-sonnet-4-5', 'critical'],
      [202, 'cdk-ai-ops/example/model/bedrock/anthropic.claude-sonnet-4-5', 'critical'],
    ]);
    expect(standIn.received[1].body.payload.custom_details.affects).toBe('answer/draft-reply');
  });

  test('PagerDuty rate-limiting three times, then accepting: the P1 page still arrives', async () => {
    const productionDown = alarms.find((a) => a.name === 'example-production-down')!;
    standIn.respondWith([429, 429, 429, 202]);
    await forward({ Records: [snsRecord(snsMessage(productionDown, 'ALARM', 'OK'), topicArn('P1'))] });
    expect(standIn.received.map((r) => r.status)).toEqual([429, 429, 429, 202]);
    expect(standIn.received[3].body.payload.severity).toBe('critical');
  });

  test('PagerDuty failing forever: the invocation fails, so the message goes to the dead-letter queue, whose P1 alarm mails humans', async () => {
    const productionDown = alarms.find((a) => a.name === 'example-production-down')!;
    standIn.respondWith([500], { repeatLast: true });
    await expect(forward({ Records: [snsRecord(snsMessage(productionDown, 'ALARM', 'OK'), topicArn('P1'))] })).rejects.toThrow(/HTTP 500/);
    // As deployed: Lambda retries twice, then sends the event to the queue the dead-letter alarm watches.
    const invokeConfig: any = Object.values(root.findResources('AWS::Lambda::EventInvokeConfig'))
      .find((c: any) => JSON.stringify(c.Properties.FunctionName).includes('PagerDutyForwarder'));
    expect(invokeConfig.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0]).toMatch(/^AiOpsAlertsDeadLetterQueue/);
    const deadLetter = alarms.find((a) => a.name === 'example-undelivered-alerts')!;
    expect(deadLetter.description).toMatch(/^\[P1\] /);
    expect(JSON.stringify(deadLetter.properties.Dimensions)).toContain('AiOpsAlertsDeadLetterQueue');
  });
});
