import { describeAlarm } from '../../lib/common';

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
