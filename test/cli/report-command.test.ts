import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { main } from '../../lib/cli/main';
import { PROJECT_ROOT } from '../support/example';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-cli-'));
const CALL = JSON.stringify({ _aws: { Timestamp: Date.parse('2026-10-03T00:00:00Z') }, recordType: 'ai_call', agent: 'a', route: 'r', model: 'gpt-5-mini', provider: 'openai', tenant: 't', calls: 1, costUsd: 1.25, inputTokens: 10, outputTokens: 1, latencyMs: 5 });

test.each([
  [['report'], '--logs is required'],
  [['report', '--logs', '/nope', '--period', '2026-10'], '--logs /nope: no such file or folder'],
  [['report', '--logs', '.', '--period', '2026-13'], '"2026-13" is not a period: use a month such as 2026-10 or a quarter such as 2026-Q4'],
  [['report', '--logs', '.', '--period', '2026-Q4'], '--period 2026-Q4: a month such as 2026-10 (use --quarter for a quarter)'],
  [['report', '--logs', '.'], 'give exactly one of --period YYYY-MM and --quarter YYYY-Qn'],
  [['report', '--logs', '.', '--period', '2026-10', '--colour', 'x'], 'unknown option --colour'],
  [['report', '--logs', '.', '--period', '2026-10', '--client', 'acme', '--clients-dir', 'clients'], '--client acme: no clients/acme.yaml'],
  [['report', '--logs', '.', '--period'], '--period needs a value'],
])('%j: a clear message, the usage, exit 2', async (args, message) => {
  const { code, err } = await run(args);
  expect(code).toBe(2);
  expect(err).toContain(message);
  expect(err).toContain('Usage: cdk-ai-ops report');
  expect(err).not.toMatch(/\n\s+at /);
});

test('an unknown command and no command', async () => {
  expect((await run(['frobnicate'])).err).toContain("unknown command 'frobnicate'");
  expect((await run([])).code).toBe(2);
  expect((await run(['--help'])).code).toBe(0);
});

test('a folder of exported files, gzip included, with CloudWatch export prefixes', async () => {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, 'logs', '2026-10-03'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'logs', 'a.jsonl'), `${CALL}\n`);
  fs.writeFileSync(path.join(dir, 'logs', '2026-10-03', '000000.gz'), zlib.gzipSync(`2026-10-03T00:00:00.000Z ${CALL}\nnot json\n`));
  const { code, out, err } = await run(['report', '--logs', path.join(dir, 'logs'), '--quarter', '2026-Q4', '--out', path.join(dir, 'out')]);
  expect(code).toBe(0);
  expect(out).toMatch(/^2026-Q4: \$2\.50 over 2 calls; wrote report\.html, report\.md, report\.json/);
  expect(err).toBe('read 3 lines: 2 calls, 0 evaluations; skipped or repaired: 1 not JSON\n');
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8')).trends.map((t: { calls: number }) => t.calls)).toEqual([2, 0, 0]);
});

test('as a process: a config mistake is a message with file and line, never a stack trace', () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'bad.yaml'), 'clientId: bad\ndisplayName: 3\n');
  fs.writeFileSync(path.join(dir, 'logs.jsonl'), `${CALL}\n`);
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(PROJECT_ROOT, 'lib', 'cli', 'bin.ts'),
    'report', '--logs', path.join(dir, 'logs.jsonl'), '--period', '2026-10', '--config', path.join(dir, 'bad.yaml')], { encoding: 'utf8' });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('bad.yaml: invalid client config');
  expect(result.stderr).toMatch(/bad\.yaml:2:\d+ \$\.displayName/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
});

describe('--alarm-history: the anomalies section from describe-alarm-history output', () => {
  const state = (from: string, to: string) => JSON.stringify({ version: '1.0', oldState: { stateValue: from }, newState: { stateValue: to } });
  const history = {
    AlarmHistoryItems: [
      { AlarmName: 'example-answer-spend-anomaly', Timestamp: '2026-10-12T04:00:00.000Z', HistoryItemType: 'StateUpdate', HistoryData: state('OK', 'ALARM') },
      { AlarmName: 'example-answer-spend-anomaly', Timestamp: '2026-10-12T10:30:00.000Z', HistoryItemType: 'StateUpdate', HistoryData: state('ALARM', 'OK') },
      { AlarmName: 'example-answer-spend-anomaly', Timestamp: '2026-10-12T10:30:00.000Z', HistoryItemType: 'ConfigurationUpdate', HistoryData: '{}' },
      { AlarmName: 'other-client-spend-rate', Timestamp: '2026-10-13T00:00:00.000Z', HistoryItemType: 'StateUpdate', HistoryData: state('OK', 'ALARM') },
    ],
  };

  test('episodes of the client\'s alarms become anomalies with duration and severity; the section is complete', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'logs.jsonl'), `${CALL}\n`);
    fs.writeFileSync(path.join(dir, 'history.json'), JSON.stringify(history));
    const { code, out } = await run(['report', '--logs', path.join(dir, 'logs.jsonl'), '--period', '2026-10', '--client', 'example',
      '--clients-dir', path.join(PROJECT_ROOT, 'clients'), '--alarm-history', path.join(dir, 'history.json'), '--out', path.join(dir, 'out')]);
    expect(code).toBe(0);
    expect(out).not.toContain('anomalies,');
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8'));
    expect(report.anomalies).toEqual([expect.objectContaining({
      kind: 'spend-anomaly',
      alarmName: 'example-answer-spend-anomaly',
      severity: 'P2',
      agent: 'answer',
      durationMinutes: 390,
      start: '2026-10-12T04:00:00.000Z',
      end: '2026-10-12T10:30:00.000Z',
    })]);
    expect(report.sections.find((s: { id: string }) => s.id === 'anomalies').complete).toBe(true);
  });

  test('a history file it cannot read is a message naming the item, and it needs the config', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'logs.jsonl'), `${CALL}\n`);
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ AlarmHistoryItems: [{ AlarmName: 'example-answer-spend-anomaly', Timestamp: 'soon', HistoryItemType: 'StateUpdate', HistoryData: 'x' }] }));
    const base = ['report', '--logs', path.join(dir, 'logs.jsonl'), '--period', '2026-10', '--alarm-history', path.join(dir, 'bad.json')];
    const bad = await run([...base, '--client', 'example', '--clients-dir', path.join(PROJECT_ROOT, 'clients')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('bad.json: AlarmHistoryItems[0] (example-answer-spend-anomaly): HistoryData is not the JSON DescribeAlarmHistory writes');
    const noConfig = await run(base);
    expect(noConfig.err).toContain('--alarm-history needs --client or --config');
  });
});
