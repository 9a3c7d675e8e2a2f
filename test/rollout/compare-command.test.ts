import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { COMPARE_USAGE } from '../../lib/cli/compare-command';
import { main } from '../../lib/cli/main';
import { PROJECT_ROOT } from '../support/example';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

const EXAMPLE = path.join(PROJECT_ROOT, 'clients', 'example.yaml');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-compare-'));
const write = (name: string, lines: object[] | string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof lines === 'string' ? lines : lines.map((l) => JSON.stringify(l)).join('\n'));
  return file;
};

// 1,000 pairs, b = 20, c = 30 on grounded-answer-judge (the hand computation is in compare-brief.test.ts: go at 2 points).
const cells = [
  ...Array(900).fill([true, true]), ...Array(20).fill([true, false]), ...Array(30).fill([false, true]), ...Array(50).fill([false, false]),
];
const baseline = write('base.jsonl', cells.map(([pass], i) => ({ id: `r${i}`, scores: { 'grounded-answer-judge': pass }, latencyMs: 1000 + i })));
const candidate = write('cand.jsonl', cells.map(([, pass], i) => ({ id: `r${i}`, scores: { 'grounded-answer-judge': pass }, latencyMs: 1000 + i })));

test('go: exit 0, the brief on standard output, the counts on standard error', async () => {
  const { code, out, err } = await run(['compare', '--baseline', baseline, '--candidate', candidate]);
  expect(code).toBe(0);
  expect(out).toContain('**Verdict: GO**');
  expect(err).toBe('1000 pairs; unpaired 0 baseline, 0 candidate; malformed 0 baseline, 0 candidate\n');
});

test('--margin 0.3 makes the same pairs inconclusive (exit 1); --out writes the file; gzip is read', async () => {
  // Lower bound −0.40 points < −0.3 < upper bound +2.39 → inconclusive.
  const gz = path.join(dir, 'cand.jsonl.gz');
  fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(candidate)));
  const out = path.join(dir, 'briefs', 'brief.md');
  const result = await run(['compare', '--baseline', baseline, '--candidate', gz, '--margin', '0.3', '--out', out]);
  expect(result.code).toBe(1);
  expect(result.out).toBe(`inconclusive: wrote the brief to ${out}\n`);
  expect(fs.readFileSync(out, 'utf8')).toContain('**Verdict: INCONCLUSIVE**');
});

test('--config and --route: the route\'s evaluators decide and its latency objectives apply', async () => {
  // answer/draft-reply: evaluators grounded-answer-judge and reply-schema (no scores here → inconclusive), p50 objective 3000 ms.
  const { code, out } = await run(['compare', '--baseline', baseline, '--candidate', candidate, '--config', EXAMPLE, '--route', 'answer/draft-reply']);
  expect(code).toBe(1);
  expect(out).toContain('# Regression brief: answer/draft-reply');
  expect(out).toContain('- reply-schema (an accuracy objective of the route) has no paired scores.');
  expect(out).toContain('| p50 | 1499 | 1499 | 0 | 0.0% | 3000 |');
});

test('the route\'s rollout.nonInferiorityMarginPoints sets the margin; --margin wins over it', async () => {
  const config = fs.readFileSync(EXAMPLE, 'utf8').replace('          minCallsPerStage: 500\n', '          minCallsPerStage: 500\n          nonInferiorityMarginPoints: 4\n');
  const file = path.join(dir, 'example.yaml');
  fs.writeFileSync(file, config);
  const args = ['compare', '--baseline', baseline, '--candidate', candidate, '--config', file, '--route', 'answer/draft-reply'];
  expect((await run(args)).out).toContain('Non-inferiority margin: 4 points.');
  expect((await run([...args, '--margin', '3'])).out).toContain('Non-inferiority margin: 3 points.');
  expect((await run(['compare', '--baseline', baseline, '--candidate', candidate, '--config', EXAMPLE, '--route', 'answer/draft-reply'])).out).toContain('Non-inferiority margin: 2 points.');
});

test.each([
  [['--baseline', '/nope.jsonl', '--candidate', 'x'], '/nope.jsonl: no such file'],
  [['--baseline', 'BAD', '--candidate', 'CAND'], 'bad.jsonl:2 $.scores.j: expected true/false (a pass/fail verdict) or a number from 0 to 1 (a score); no line of the file is usable (2 malformed)'],
  [['--baseline', 'CAND', '--candidate', 'OTHER'], 'other.jsonl $.id: none of its 1 ids appears in'],
])('input mistakes: file, line and field, exit 2, no stack trace (%j)', async (args, message) => {
  const bad = write('bad.jsonl', '\n{"id":"a","scores":{"j":"yes"}}\n{"id":"b","scores":{"j":2}}');
  const other = write('other.jsonl', [{ id: 'zzz' }]);
  const resolved = args.map((a) => (a === 'BAD' ? bad : a === 'CAND' ? candidate : a === 'OTHER' ? other : a));
  const { code, err } = await run(['compare', ...resolved]);
  expect(code).toBe(2);
  expect(err).toContain(message);
  expect(err).not.toMatch(/\n\s+at /);
});

test.each([
  [['--candidate', 'c'], '--baseline is required'],
  [['--baseline', 'b', '--candidate', 'c', '--margin', 'two'], '--margin two: expected a positive number'],
  [['--baseline', 'b', '--candidate', 'c', '--monthly-calls', '1.5'], '--monthly-calls 1.5: expected a positive whole number'],
  [['--baseline', 'b', '--candidate', 'c', '--route', 'answer/draft-reply'], '--config and --route go together'],
  [['--baseline', 'b', '--candidate', 'c', '--config', EXAMPLE, '--route', 'answer'], '--route answer: expected <agent>/<route>'],
  [['--baseline', 'b', '--candidate', 'c', '--config', EXAMPLE, '--route', 'answer/nope'], "agent 'answer' has no route 'nope' (routes: draft-reply, summarize-thread)"],
])('usage mistakes (%j): the message and the usage, exit 2', async (args, message) => {
  const { code, err } = await run(['compare', ...args]);
  expect(code).toBe(2);
  expect(err).toContain(message);
  expect(err).toContain('Usage: cdk-ai-ops compare');
});

test('--help prints the usage; the command list names compare', async () => {
  expect((await run(['compare', '--help'])).out).toContain('--margin <points>       non-inferiority margin, percentage points (default: the route\'s rollout.nonInferiorityMarginPoints, else 2)');
  expect((await run(['--help'])).out).toContain('compare   the regression brief');
});

test('docs/compare.md carries the usage as the command prints it', () => {
  expect(fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'compare.md'), 'utf8')).toContain(COMPARE_USAGE);
});
