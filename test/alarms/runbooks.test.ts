import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SloAlarmKind } from '../../lib/common';
import { exampleStack, PROJECT_ROOT } from '../support/example';

const stack = exampleStack();
const alarms = stack.aiOps.alarms();
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-'));
const run = spawnSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(PROJECT_ROOT, 'bin', 'runbooks.ts'), '-c', 'client=example', '--out', outDir], {
  cwd: PROJECT_ROOT, encoding: 'utf8',
});

describe('generated runbooks (npm run runbooks -- -c client=example)', () => {
  test('one per alarm of the example client, and an index', () => {
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`wrote ${alarms.length} runbooks to ${outDir}`);
    // Root causes (4 model outages, 2 provider outages, production's failure rate and production-down, 4 suppressors), undelivered
    // alerts, per agent agent-down and a route suppressor, 6 per route, 11 route composites (one per route and severity), staleness,
    // cache floor, 7 accuracy, 9 client and 24 agent spend guards, the governance report's failed-run alarm, the rollout's
    // gate and rolled-back alarms, and the end-of-life alarm of gpt-5-mini (the one model of the example whose vendor announced a retirement).
    expect(alarms.length).toBe(4 + 2 + 2 + 4 + 1 + 4 * 2 + 8 * 6 + 11 + 2 + 7 + 9 + 24 + 1 + 2 + 1);
    for (const alarm of alarms) expect(fs.existsSync(path.join(outDir, `${alarm.alarmName}.md`))).toBe(true);
    expect(fs.readFileSync(path.join(outDir, 'README.md'), 'utf8').split('\n').filter((l) => l.startsWith('| ['))).toHaveLength(alarms.length);
  });

  test('a runbook says what fired, the owner, first checks, mitigation for its kind and the rollback path', () => {
    const text = fs.readFileSync(path.join(outDir, 'example-retrieval-rerank-throttle-rate.md'), 'utf8');
    expect(text).toContain('**P2** for Example Support Co. (tier standard: respond within next business day).');
    expect(text).toContain('Team **search**, service `kb-retrieval-service`, route `rerank`.');
    expect(text).toContain('#dashboards/dashboard/example-ai-ops-agent-retrieval');
    expect(text).toContain('Logs Insights over `/ecs/kb-retrieval-service`');
    expect(text).toMatch(/quotas; request an increase/);
    expect(text).toContain('## Rollback');
  });

  test('provider-specific advice only where it applies: Bedrock advice for Bedrock agents, none for an OpenAI-only agent', () => {
    const openAi = fs.readFileSync(path.join(outDir, 'example-retrieval-rerank-throttle-rate.md'), 'utf8');
    expect(openAi).not.toContain('cross-region inference profile');
    const bedrock = fs.readFileSync(path.join(outDir, 'example-triage-classify-ticket-throttle-rate.md'), 'utf8');
    expect(bedrock).toContain('Use cross-region inference profiles.');
  });

  test('the provider-outage runbook filters the provider\'s failing calls, names who answers it and the owners of the agents it reaches', () => {
    const text = fs.readFileSync(path.join(outDir, 'example-aws-bedrock-provider-outage.md'), 'utf8');
    expect(text).toContain('**P1**');
    expect(text).toContain('filter recordType = "ai_call" and provider in ["aws.bedrock"] and outcome != "ok"');
    expect(text).toContain('The on-call of Example Support Co.: the PagerDuty service whose key is in secret `cdk-ai-ops/example/pagerduty-p1`; oncall@example.com.');
    expect(text).toContain('- triage: team **support-platform**, service `support-triage-fn`');
    expect(text).not.toContain('- retrieval: team');
    // Only the affected agents' log groups are queried.
    expect(text).toContain('Logs Insights over `/aws/lambda/support-triage-fn`, `/aws/lambda/support-answer-fn`, `/aws/lambda/support-qa-fn`');
    expect(text).toContain('Fail over to a cross-region inference profile');
  });

  test('the spend-rate runbook ranks agents and tenants by cost; a model\'s spend-anomaly runbook filters and names that model', () => {
    const spend = fs.readFileSync(path.join(outDir, 'example-spend-rate.md'), 'utf8');
    expect(spend).toContain('stats sum(costUsd) as cost, count() as calls by agent, tenant');
    expect(spend).toContain('The on-call of Example Support Co.');
    const name = stack.aiOps.spendGuards.alarms.find((a) => a.modelId === 'gpt-5-mini')!.alarmName;
    expect(name).toBe('example-gpt-5-mini-spend-anomaly');
    const model = fs.readFileSync(path.join(outDir, `${name}.md`), 'utf8');
    expect(model).toContain('model = "gpt-5-mini"');
    expect(model).toContain('Spend of model gpt-5-mini is above its usual range.');
    expect(model).not.toContain('cross-region');
  });

  test('an accuracy runbook queries the evaluation records by evaluator version, model and variant', () => {
    const text = fs.readFileSync(path.join(outDir, 'example-qa-review-score-reply-human-audit-accuracy-pass-rate.md'), 'utf8');
    expect(text).toContain('**P3** for Example Support Co.');
    expect(text).toContain('filter recordType = "evaluation" and agent = "qa-review" and route = "score-reply"');
    expect(text).toMatch(/by evaluator, evaluatorVersion, model, variant, bin\(1h\)/);
    expect(text).toMatch(/re-run its calibration|re-run the calibration audit set/);
  });

  test('every alarm description links to a runbook: its route\'s or agent\'s own, or the generated one', () => {
    const base = stack.aiOps.config.runbookBaseUrl;
    for (const alarm of alarms) {
      const own = alarm.agent === 'answer' ? 'https://runbooks.example.com/support/answer' : undefined;
      expect({ alarm: alarm.alarmName, runbook: alarm.runbookUrl }).toEqual({ alarm: alarm.alarmName, runbook: own ?? `${base}/${alarm.alarmName}.md` });
    }
  });

  test('the library\'s own runbook page has a section for every alarm kind', () => {
    const page = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'runbooks.md'), 'utf8');
    for (const kind of Object.values(SloAlarmKind)) expect(page).toContain(`\n## ${kind}\n`);
  });
});
