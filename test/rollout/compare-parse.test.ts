import * as fc from 'fast-check';
import { CompareInputError, pairResults, parseResultLine, parseResults, PROBLEMS_NAMED } from '../../lib/rollout/compare/parse';

const validLine = fc.record({
  id: fc.string({ minLength: 1, maxLength: 8 }),
  scores: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.oneof(fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }))),
  latencyMs: fc.double({ min: 0, max: 3_600_000, noNaN: true }),
  costUsd: fc.double({ min: 0, max: 1000, noNaN: true }),
  format: fc.record({ jsonValid: fc.boolean(), length: fc.nat() }, { requiredKeys: [] }),
}, { requiredKeys: ['id'] });

describe('one line', () => {
  test('any text gives a record or a problem with a field, never an exception', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), validLine.map((v) => JSON.stringify(v))), fc.nat(), (text, line) => {
      const result = parseResultLine(text, line + 1);
      expect(result.line).toBe(line + 1);
      if (!('key' in result)) {
        expect(result.field).toMatch(/^\$/);
        expect(result.message).toMatch(/^expected /);
      }
    }), { numRuns: 2000 });
  });

  test('a valid line keeps its values', () => {
    fc.assert(fc.property(validLine, (value) => {
      const result = parseResultLine(JSON.stringify(value), 1);
      expect(result).toEqual({ ...JSON.parse(JSON.stringify(value)), key: value.id, line: 1 });
    }));
  });

  test.each([
    ['{"id":"a","scores":{"x":1.5}}', '$.scores.x', 'expected true/false (a pass/fail verdict) or a number from 0 to 1 (a score)'],
    [JSON.stringify({ id: 'a', latencyMs: 'fast' }), '$.latencyMs', 'expected number, received string'],
    ['{"id":"a","format":{"refusal":"no"}}', '$.format.refusal', 'expected boolean, received string'],
    ['{"scores":{}}', '$.id', 'expected a request or pair id (id, requestId or pairId), found none'],
    ['[1,2]', '$', 'expected a JSON object, found a list'],
    ['{"id":', '$', 'expected one JSON object per line, found text that is not JSON'],
  ])('%s → %s: %s', (text, field, message) => {
    expect(parseResultLine(text, 3)).toEqual({ line: 3, field, message });
  });

  test('requestId and pairId name the pair too', () => {
    expect(parseResultLine('{"requestId":"q"}', 1)).toMatchObject({ key: 'q' });
    expect(parseResultLine(JSON.stringify({ pairId: 'p', model: 'extra keys are ignored' }), 1)).toMatchObject({ key: 'p' });
  });
});

describe('a file', () => {
  test('arbitrary lines: counted, never a crash; only a file without a usable line is an error', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.string(), validLine.map((v) => JSON.stringify(v)))), (lines) => {
      const text = lines.join('\n');
      try {
        const parsed = parseResults(text, 'f.jsonl');
        expect(parsed.records.size + parsed.malformed + parsed.duplicates).toBe(parsed.lines);
        expect(parsed.problems.length).toBe(Math.min(parsed.malformed, PROBLEMS_NAMED));
      } catch (error) {
        expect(error).toBeInstanceOf(CompareInputError);
        expect((error as Error).message).toMatch(/^f\.jsonl(:\d+ \$\S*)?: /);
      }
    }), { numRuns: 500 });
  });

  test('the error names the file, the first bad line and its field', () => {
    expect(() => parseResults(`\n${JSON.stringify({ id: 'a', costUsd: -1 })}\nnope`, 'runs/cand.jsonl'))
      .toThrow('runs/cand.jsonl:2 $.costUsd: expected number to be >=0; no line of the file is usable (2 malformed)');
    expect(() => parseResults('\n \n', 'empty.jsonl')).toThrow('empty.jsonl: no result lines (expected one JSON object per line)');
  });

  test('duplicates keep the first; pairing counts the lines without a partner', () => {
    const baseline = parseResults([{ id: 'a', latencyMs: 1 }, { id: 'a', latencyMs: 2 }, { id: 'b' }, { id: 'c' }].map((l) => JSON.stringify(l)).join('\n'), 'b.jsonl');
    const candidate = parseResults('{"id":"c"}\n{"id":"a"}\n{"id":"z"}', 'c.jsonl');
    expect(baseline.duplicates).toBe(1);
    expect(baseline.records.get('a')?.latencyMs).toBe(1);
    const pairing = pairResults(baseline, candidate);
    expect(pairing.pairs.map((p) => p.key)).toEqual(['a', 'c']);
    expect(pairing).toMatchObject({ baselineOnly: 1, candidateOnly: 1 });
  });
});
