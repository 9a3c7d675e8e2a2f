import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASELINE, CANDIDATE, TestClock } from './fixtures';
import { PriceCatalog } from '../../lib/pricing';
import { pairResults, parseResults } from '../../lib/rollout/compare';
import { CallMeasure, InMemorySpendLedger, jsonLinesFileSink, ShadowLine, ShadowRunner, Variant, VariantChoice } from '../../lib/rollout/runtime';

interface Answer {
  readonly text: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

const shadowed: VariantChoice = { variant: BASELINE, role: 'baseline', origin: 'appconfig', shadow: CANDIDATE, telemetry: { variant: BASELINE.id } };
const measure = (answer: Answer): CallMeasure => ({ inputTokens: answer.inputTokens, outputTokens: answer.outputTokens, output: answer.text });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Model stand-ins: the baseline answers in 20 ms, the candidate in `candidateMs`. */
function models(candidateMs: number): (variant: Variant) => Promise<Answer> {
  return async (variant) => {
    await sleep(variant.id === CANDIDATE.id ? candidateMs : 20);
    return { text: variant.id === CANDIDATE.id ? '{"answer":"refund approved"}' : 'Refund approved.', inputTokens: 1200, outputTokens: 300 };
  };
}

describe('shadow mode', () => {
  test('a slow candidate never delays or changes the user\'s response', async () => {
    // GIVEN a candidate that answers only when the test lets it (at least 300 ms later)
    const lines: ShadowLine[] = [];
    const runner = new ShadowRunner({ dailyBudgetUsd: 10, sink: (line) => lines.push(line), warn: () => undefined });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let candidateAnswered = false;
    const fast = models(0);
    const invoke = async (variant: Variant): Promise<Answer> => {
      if (variant.id !== CANDIDATE.id) return fast(variant);
      await gate;
      candidateAnswered = true;
      return fast(variant);
    };

    // WHEN the user's call runs with a shadow
    const answer = await runner.run(shadowed, { agent: 'support', route: 'triage', requestId: 'req-1' }, invoke, measure);

    // THEN the user got the baseline's answer while the candidate was still running: the shadow cannot delay it
    expect(answer.text).toBe('Refund approved.');
    expect(candidateAnswered).toBe(false);
    expect(lines).toEqual([]);

    // AND once the candidate finished, both sides were recorded, paired by request id, each with its own latency
    await sleep(300);
    release();
    await runner.flush();
    expect(candidateAnswered).toBe(true);
    expect(lines.map((l) => [l.pairId, l.role, l.variant])).toEqual([['req-1', 'baseline', BASELINE.id], ['req-1', 'candidate', CANDIDATE.id]]);
    expect(lines[1].latencyMs).toBeGreaterThanOrEqual(250);
    expect(lines[0].latencyMs).toBeLessThan(lines[1].latencyMs);
  });

  test('the user\'s error is the user\'s: thrown unchanged; a failing candidate is recorded, never thrown', async () => {
    const lines: ShadowLine[] = [];
    const runner = new ShadowRunner({ dailyBudgetUsd: 10, sink: (line) => lines.push(line), warn: () => undefined });
    const throttled = new Error('ThrottlingException');

    await expect(runner.run(shadowed, { agent: 'support', route: 'triage', requestId: 'req-1' }, async (variant) => {
      if (variant.id === BASELINE.id) throw throttled;
      return { text: 'ok', inputTokens: 10, outputTokens: 5 };
    }, measure)).rejects.toBe(throttled);
    // Until a shadow call has cost something, shadows run one at a time.
    await runner.flush();

    const answer = await runner.run(shadowed, { agent: 'support', route: 'triage', requestId: 'req-2' }, async (variant) => {
      if (variant.id === CANDIDATE.id) throw new Error('candidate model not enabled in this account');
      return { text: 'fine', inputTokens: 10, outputTokens: 5 };
    }, measure);
    await runner.flush();

    expect(answer.text).toBe('fine');
    expect(lines.map((l) => [l.pairId, l.role, l.outcome])).toEqual([
      ['req-1', 'baseline', 'error'], ['req-1', 'candidate', 'ok'],
      ['req-2', 'baseline', 'ok'], ['req-2', 'candidate', 'error'],
    ]);
  });

  test('the day\'s extra spend never exceeds the cap; the next day starts afresh', async () => {
    // GIVEN shadow calls costing $0.003 each against a $0.01 daily cap
    const clock = new TestClock();
    const lines: ShadowLine[] = [];
    const ledger = new InMemorySpendLedger();
    const runner = new ShadowRunner({ dailyBudgetUsd: 0.01, ledger, clock: clock.read, sink: (line) => lines.push(line), warn: () => undefined });
    const costed = (answer: Answer): CallMeasure => ({ ...measure(answer), costUsd: 0.003 });
    const invoke = async (): Promise<Answer> => ({ text: 'x', inputTokens: 1, outputTokens: 1 });

    // WHEN 10 shadowed requests arrive one after another, then 5 at once, then 10 more the next day
    for (let i = 0; i < 10; i++) {
      await runner.run(shadowed, { agent: 'support', route: 'triage', requestId: `d1-${i}` }, invoke, costed);
      await runner.flush();
    }
    await Promise.all(Array.from({ length: 5 }, (_, i) => runner.run(shadowed, { agent: 'support', route: 'triage', requestId: `d1-burst-${i}` }, invoke, costed)));
    await runner.flush();
    const day1 = lines.filter((l) => l.role === 'candidate').reduce((sum, l) => sum + l.costUsd, 0);
    clock.now += 24 * 3600_000;
    await Promise.all(Array.from({ length: 10 }, (_, i) => runner.run(shadowed, { agent: 'support', route: 'triage', requestId: `d2-${i}` }, invoke, costed)));
    await runner.flush();
    const day2 = lines.filter((l) => l.role === 'candidate' && l.pairId.startsWith('d2-')).reduce((sum, l) => sum + l.costUsd, 0);

    // THEN three shadow calls fit each day ($0.009), the fourth would pass the cap
    expect(day1).toBeCloseTo(0.009, 10);
    expect(day2).toBeCloseTo(0.009, 10);
    expect(ledger.committed('2026-11-30')).toBeCloseTo(0.009, 10);
    expect(runner.budgetRefusals).toBe(7 + 5 + 7);
  });

  test('costs from the price catalog when the caller gives none; evaluators score both sides; lines land in the files compare reads', async () => {
    // GIVEN a file sink and two evaluators
    const directory = mkdtempSync(join(tmpdir(), 'shadow-'));
    const clock = new TestClock();
    const runner = new ShadowRunner({
      dailyBudgetUsd: 5,
      clock: clock.read,
      sink: jsonLinesFileSink(directory),
      evaluators: {
        'json-format': (output) => { try { JSON.parse(String(output)); return true; } catch { return false; } },
        'mentions-refund': async (output) => (String(output).toLowerCase().includes('refund') ? 1 : 0),
        'broken-judge': () => { throw new Error('judge timed out'); },
      },
      warn: () => undefined,
    });

    // WHEN one shadowed request runs
    await runner.run(shadowed, { agent: 'support', route: 'triage', requestId: 'req-9' }, models(30), measure);
    await runner.flush();

    // THEN each side's line is in its own file, priced as the catalog prices it, scored, with output facts
    const read = (role: string): ShadowLine[] => readFileSync(join(directory, `${role}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const [baseline] = read('baseline');
    const [candidate] = read('candidate');
    const catalog = PriceCatalog.builtIn();
    const at = new Date(clock.now);
    expect(baseline).toMatchObject({
      pairId: 'req-9',
      role: 'baseline',
      variant: BASELINE.id,
      model: 'claude-sonnet-4-5',
      promptVersion: '3',
      agent: 'support',
      route: 'triage',
      outcome: 'ok',
      inputTokens: 1200,
      outputTokens: 300,
      priced: true,
      costUsd: catalog.costOf({ modelId: 'claude-sonnet-4-5', timestamp: at, inputTokens: 1200, outputTokens: 300 }).costUsd,
      scores: { 'json-format': false, 'mentions-refund': 1 },
      format: { length: 16, jsonValid: false },
    });
    expect(candidate).toMatchObject({
      pairId: 'req-9',
      role: 'candidate',
      variant: CANDIDATE.id,
      model: 'claude-sonnet-4-6',
      costUsd: catalog.costOf({ modelId: 'claude-sonnet-4-6', timestamp: at, inputTokens: 1200, outputTokens: 300 }).costUsd,
      scores: { 'json-format': true, 'mentions-refund': 1 },
      format: { length: 28, jsonValid: true },
    });
    expect(baseline.costUsd).toBeGreaterThan(0);

    // AND `cdk-ai-ops compare` reads both files as one pair, with every field the brief uses
    const parsed = (role: string) => parseResults(readFileSync(join(directory, `${role}.jsonl`), 'utf8'), `${role}.jsonl`);
    const [baselineResults, candidateResults] = [parsed('baseline'), parsed('candidate')];
    expect([baselineResults.malformed, candidateResults.malformed]).toEqual([0, 0]);
    expect(pairResults(baselineResults, candidateResults).pairs).toHaveLength(1);
    expect(candidateResults.records.get('req-9')).toMatchObject({
      latencyMs: candidate.latencyMs, costUsd: candidate.costUsd, scores: candidate.scores, format: { length: 28, jsonValid: true },
    });
  });
});
