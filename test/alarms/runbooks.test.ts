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
    // ... and the governance report's failed-run alarm.
    expect(alarms.length).toBe(1 + 1 + 4 + 8 * 6 + 2 + 7 + 8 + 24 + 1);
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
      const own = alarm.alarmName.startsWith('example-answer-') ? 'https://runbooks.example.com/support/answer' : undefined;
      expect({ alarm: alarm.alarmName, runbook: alarm.runbookUrl }).toEqual({ alarm: alarm.alarmName, runbook: own ?? `${base}/${alarm.alarmName}.md` });
    }
  });

  test('the library\'s own runbook page has a section for every alarm kind', () => {
    const page = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'runbooks.md'), 'utf8');
    for (const kind of Object.values(SloAlarmKind)) expect(page).toContain(`\n## ${kind}\n`);
  });
});
