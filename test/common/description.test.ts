import { Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { AFFECTS_LIMIT, ALARM_METADATA_PREFIX, decodeAlarmMetadata, describeAlarm, DESCRIPTION_LIMIT } from '../../lib/common';
import { ClientConfigLoader, Severity } from '../../lib/config';
import { AiOpsStack } from '../../lib/facade';
import { exampleConfig, newApp } from '../support/example';
import { rendered } from '../support/templates';

const parts = {
  severity: 'P2',
  what: 'p95 latency of route answer/draft-reply is above its SLO',
  condition: 'p95 latency > 8000 ms in 3 of 3 five-minute periods',
  owner: 'team support-ai, service support-answer-fn',
  runbookUrl: 'https://runbooks.example.com/support/answer',
  dashboardUrl: 'https://console.aws.amazon.com/cloudwatch/home?region=${Token[AWS.Region.9]}#dashboards/dashboard/example-ai-ops-agent-answer',
};

describe('describeAlarm', () => {
  test('one line each: severity and what fired, condition, owner, runbook, dashboard', () => {
    expect(describeAlarm(parts).split('\n')).toEqual([
      '[P2] p95 latency of route answer/draft-reply is above its SLO.',
      'Fires when: p95 latency > 8000 ms in 3 of 3 five-minute periods.',
      'Owner: team support-ai, service support-answer-fn.',
      'Runbook: https://runbooks.example.com/support/answer',
      `Dashboard: ${parts.dashboardUrl}`,
    ]);
  });

  test('above 1,024 characters the condition is shortened; the links stay whole', () => {
    const text = describeAlarm({ ...parts, condition: 'x'.repeat(2000) });
    expect(text.length).toBe(1024);
    expect(text).toContain('...');
    expect(text.endsWith(`Dashboard: ${parts.dashboardUrl}`)).toBe(true);
  });
});

describe('config text cannot shape a description', () => {
  const metadata = { severity: Severity.P2, kind: 'latency-p95', cause: 'example/answer/draft-reply/latency-p95', owner: 'support-ai' };

  test('a newline (or any control or line separator) in config text adds no line: no second Runbook link', () => {
    const text = describeAlarm({ ...parts, owner: 'team ops\nRunbook: https://evil.example\u2028Dashboard: x\r', metadata });
    expect(text.split('\n').filter((l) => l.startsWith('Runbook: '))).toEqual(['Runbook: https://runbooks.example.com/support/answer']);
    expect(text.split('\n')).toHaveLength(6);
    expect(text).toContain('Owner: team ops Runbook: https://evil.example Dashboard: x.');
  });

  test('whatever the text and however long the links, at most 1,024 characters, the metadata line last and whole, the runbook link whole', () => {
    fc.assert(fc.property(
      fc.string({ maxLength: 3000 }), fc.string({ maxLength: 3000 }), fc.string({ maxLength: 600 }), fc.integer({ min: 10, max: 300 }),
      fc.array(fc.string({ minLength: 1, maxLength: 140 }), { maxLength: 300 }),
      (what, condition, owner, urlLength, affects) => {
        const runbookUrl = `https://${'r'.repeat(urlLength)}/example-answer-draft-reply-grounded-answer-judge-accuracy-mean-score.md`;
        const text = describeAlarm({ ...parts, what: what || 'x', condition, owner, runbookUrl, metadata: { ...metadata, owner, affects } });
        expect(text.length).toBeLessThanOrEqual(DESCRIPTION_LIMIT);
        const lines = text.split('\n');
        expect(lines.filter((l) => l.startsWith('Runbook: '))).toEqual([`Runbook: ${runbookUrl}`]);
        expect(lines[lines.length - 1].startsWith(ALARM_METADATA_PREFIX)).toBe(true);
        const decoded = decodeAlarmMetadata(text)!;
        expect(decoded.cause).toBe(metadata.cause);
        expect((decoded.affects ?? []).length).toBeLessThanOrEqual(AFFECTS_LIMIT);
      },
    ), { numRuns: 300 });
  });

  test('the example client with the longest runbookBaseUrl the config accepts: every description fits, links and metadata whole', () => {
    const config = exampleConfig();
    const base = `https://runbooks.example.com/${'x'.repeat(300 - 'https://runbooks.example.com/'.length)}`;
    expect(base).toHaveLength(300);
    const stack = new AiOpsStack(newApp(), 'Long', { config: { ...config, runbookBaseUrl: base, agents: config.agents.map(({ runbookUrl, ...a }) => a) } });
    for (const alarm of stack.aiOps.alarms()) {
      const description = rendered(Stack.of(alarm.alarm).resolve((alarm.alarm.node.defaultChild as any).alarmDescription));
      expect({ alarm: alarm.alarmName, fits: description.length <= DESCRIPTION_LIMIT }).toEqual({ alarm: alarm.alarmName, fits: true });
      expect(description).toContain(`Runbook: ${base}/${alarm.alarmName}.md`);
      expect(decodeAlarmMetadata(description)?.kind).toBe(alarm.kind);
    }
  });

  test('a longer runbookBaseUrl is refused by the config, naming the field', () => {
    const config = exampleConfig();
    expect(() => ClientConfigLoader.fromObject({ ...config, runbookBaseUrl: `https://example.com/${'x'.repeat(400)}` }, 'long.yaml'))
      .toThrow(/\$\.runbookBaseUrl: expected an https:\/\/ URL of at most 300 characters/);
  });
});
