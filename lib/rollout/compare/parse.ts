/*
 * Reading paired results: one JSON object per line (a recorded shadow pair's side, or one row of an
 * offline run over a test set). A line that does not fit is counted and named, never fatal; a file
 * with no usable line at all is an input error naming the file, the line and the field.
 */
import { z } from 'zod';

const SCORE = { error: 'true/false (a pass/fail verdict) or a number from 0 to 1 (a score)' };
const score = z.union([z.boolean(SCORE), z.number(SCORE).min(0, SCORE).max(1, SCORE)], SCORE);

/** One result line. Keys beyond these (model, variant, timestamps) are allowed and ignored. */
export const resultLineSchema = z.object({
  id: z.string().min(1).optional().describe('Request or pair id; the same on the baseline and the candidate line.'),
  requestId: z.string().min(1).optional().describe('Alternative name of id.'),
  pairId: z.string().min(1).optional().describe('Alternative name of id.'),
  scores: z.record(z.string().min(1), score).optional()
    .describe('Evaluator id → pass/fail verdict (boolean) or score from 0 to 1.'),
  latencyMs: z.number().min(0).max(3_600_000).optional().describe('Latency to the last token, ms.'),
  inputTokens: z.number().int().min(0).optional(),
  outputTokens: z.number().int().min(0).optional(),
  costUsd: z.number().min(0).max(1_000).optional().describe('Cost of the call, USD.'),
  format: z.object({
    jsonValid: z.boolean().optional().describe('The output parsed as JSON.'),
    schemaValid: z.boolean().optional().describe('The output conformed to the expected schema.'),
    length: z.number().int().min(0).optional().describe('Output length, characters.'),
    refusal: z.boolean().optional().describe('The model refused.'),
  }).optional(),
});

export type ResultLine = z.infer<typeof resultLineSchema>;

/** One side of one pair, keyed by its id. */
export interface ResultRecord extends ResultLine {
  readonly key: string;
  readonly line: number;
}

/** A line that was skipped, and why. */
export interface LineProblem {
  readonly line: number;
  /** JSON path of the offending field (`$` for the whole line). */
  readonly field: string;
  readonly message: string;
}

export interface ParsedResults {
  readonly file: string;
  /** Non-blank lines read. */
  readonly lines: number;
  readonly records: ReadonlyMap<string, ResultRecord>;
  readonly malformed: number;
  /** The first few malformed lines, for the brief. */
  readonly problems: readonly LineProblem[];
  /** Lines whose id was already seen in the file (the first is kept). */
  readonly duplicates: number;
}

/** How many malformed lines are named one by one. */
export const PROBLEMS_NAMED = 5;

/** A results file that cannot be used at all: names the file, the line and the field. */
export class CompareInputError extends Error {
  public constructor(public readonly file: string, public readonly line: number | undefined, public readonly field: string, detail: string) {
    super(`${file}${line ? `:${line}` : ''}${field ? ` ${field}` : ''}: ${detail}`);
    this.name = 'CompareInputError';
  }
}

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return '$' + path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
}

/** Parses one line; returns the record or the problem. */
export function parseResultLine(text: string, line: number): ResultRecord | LineProblem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, field: '$', message: 'expected one JSON object per line, found text that is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { line, field: '$', message: `expected a JSON object, found ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}` };
  }
  const parsed = resultLineSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { line, field: fieldPath(issue.path), message: `expected ${issue.message.replace(/^[A-Z][a-z ]+: expected /, '')}` };
  }
  const key = parsed.data.id ?? parsed.data.requestId ?? parsed.data.pairId;
  if (key === undefined) return { line, field: '$.id', message: 'expected a request or pair id (id, requestId or pairId), found none' };
  return { ...parsed.data, key, line };
}

/**
 * Parses a results file's text. Blank lines are ignored; malformed lines are counted.
 * @throws CompareInputError when the file has no usable line
 */
export function parseResults(text: string, file: string): ParsedResults {
  const records = new Map<string, ResultRecord>();
  const problems: LineProblem[] = [];
  let lines = 0;
  let malformed = 0;
  let duplicates = 0;
  text.split('\n').forEach((raw, index) => {
    const content = raw.trim();
    if (content.length === 0) return;
    lines++;
    const result = parseResultLine(content, index + 1);
    if (!('key' in result)) {
      malformed++;
      if (problems.length < PROBLEMS_NAMED) problems.push(result);
    } else if (records.has(result.key)) {
      duplicates++;
    } else {
      records.set(result.key, result);
    }
  });
  if (lines === 0) throw new CompareInputError(file, undefined, '', 'no result lines (expected one JSON object per line)');
  if (records.size === 0) {
    const first = problems[0];
    throw new CompareInputError(file, first.line, first.field, `${first.message}; no line of the file is usable (${malformed} malformed)`);
  }
  return { file, lines, records, malformed, problems, duplicates };
}

export interface Pair {
  readonly key: string;
  readonly baseline: ResultRecord;
  readonly candidate: ResultRecord;
}

export interface Pairing {
  readonly pairs: readonly Pair[];
  readonly baselineOnly: number;
  readonly candidateOnly: number;
}

/** Pairs the two sides by id, in the baseline file's order. */
export function pairResults(baseline: ParsedResults, candidate: ParsedResults): Pairing {
  const pairs: Pair[] = [];
  for (const [key, record] of baseline.records) {
    const other = candidate.records.get(key);
    if (other) pairs.push({ key, baseline: record, candidate: other });
  }
  return { pairs, baselineOnly: baseline.records.size - pairs.length, candidateOnly: candidate.records.size - pairs.length };
}
