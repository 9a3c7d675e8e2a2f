/*
 * Deterministic evaluators the agents run in-process on a model's output (JSON schema, regular
 * expression, contains, exact match), recorded as evaluations from the `assertion` source. No
 * dependency of its own: a JSON Schema is checked by the validator the caller already has (an Ajv
 * compiled function, or any function of the same shape).
 */
import { EvaluationSource } from '../contract';
import { EvaluatedCall, EvaluationInput } from './types';

/** The verdict of one assertion on one output. */
export interface AssertionVerdict {
  readonly passed: boolean;
  /** Why it failed, without the output's content (it may be customer data). */
  readonly detail?: string;
}

/** A deterministic check with an id and a version, as the accuracy SLO names it. */
export interface AssertionEvaluator {
  /** Evaluator id: the accuracy SLO's `evaluators[].id`. */
  readonly id: string;
  /** Bump when the check changes, so the verdicts before and after stay apart. */
  readonly version: string;
  check(output: unknown): AssertionVerdict;
}

/** A compiled JSON Schema validator: Ajv's `ajv.compile(schema)` has this shape. */
export interface JsonSchemaValidator {
  (data: unknown): boolean;
  readonly errors?: ReadonlyArray<{ readonly instancePath?: string; readonly message?: string }> | null;
}

/** Options of the text assertions. */
export interface TextAssertionOptions {
  /** @default '1' */
  readonly version?: string;
  /** Compare case-insensitively. @default false */
  readonly ignoreCase?: boolean;
  /** Trim surrounding whitespace before comparing. @default true */
  readonly trim?: boolean;
}

/** The output as text: strings as they are, anything else as JSON. */
function textOf(output: unknown, options: TextAssertionOptions): string {
  let text = typeof output === 'string' ? output : JSON.stringify(output) ?? String(output);
  if (options.trim ?? true) text = text.trim();
  return options.ignoreCase ? text.toLowerCase() : text;
}

const verdict = (passed: boolean, detail: string): AssertionVerdict => (passed ? { passed } : { passed, detail });

/** Passes when the output equals `expected` (after trimming; optionally ignoring case). */
export function exactMatch(id: string, expected: string, options: TextAssertionOptions = {}): AssertionEvaluator {
  const want = textOf(expected, options);
  return {
    id,
    version: options.version ?? '1',
    check: (output) => verdict(textOf(output, options) === want, 'the output differs from the expected answer'),
  };
}

/** Passes when the output contains every one of `needles` (or, with `any`, at least one). */
export function contains(id: string, needles: string[], options: TextAssertionOptions & { readonly any?: boolean } = {}): AssertionEvaluator {
  const wanted = needles.map((needle) => textOf(needle, options));
  return {
    id,
    version: options.version ?? '1',
    check: (output) => {
      const text = textOf(output, options);
      const missing = wanted.filter((needle) => !text.includes(needle));
      const passed = options.any ? missing.length < wanted.length : missing.length === 0;
      return verdict(passed, options.any ? 'the output contains none of the required texts' : `the output lacks ${missing.length} of ${wanted.length} required texts`);
    },
  };
}

/** Passes when the output matches `pattern`. */
export function matchesPattern(id: string, pattern: RegExp, options: { readonly version?: string } = {}): AssertionEvaluator {
  // A global or sticky pattern keeps state between tests: test a stateless copy.
  const stateless = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  return {
    id,
    version: options.version ?? '1',
    check: (output) => verdict(stateless.test(typeof output === 'string' ? output : JSON.stringify(output) ?? ''), `the output does not match ${stateless}`),
  };
}

/**
 * Passes when the output (a JSON string, or an already parsed value) is valid against the schema
 * the validator was compiled from. The failure detail names the first failing JSON path.
 */
export function validJson(id: string, validate: JsonSchemaValidator, options: { readonly version?: string } = {}): AssertionEvaluator {
  return {
    id,
    version: options.version ?? '1',
    check: (output) => {
      let data = output;
      if (typeof output === 'string') {
        try {
          data = JSON.parse(output);
        } catch {
          return { passed: false, detail: 'the output is not JSON' };
        }
      }
      if (validate(data)) return { passed: true };
      const [first] = validate.errors ?? [];
      return { passed: false, detail: first ? `invalid at ${first.instancePath || '/'}: ${first.message ?? 'schema violation'}` : 'invalid against the schema' };
    },
  };
}

/** One assertion's outcome on one output: its verdict, or why it could not decide. */
export interface AssertionOutcome {
  readonly evaluator: string;
  readonly version: string;
  /** Undefined when the check itself failed (then nothing was recorded). */
  readonly passed?: boolean;
  readonly detail?: string;
}

/** What `runAssertions` records through: an `AiTelemetry`, or the module's `recordEvaluation`. */
export interface EvaluationRecorder {
  recordEvaluation(evaluation: EvaluationInput): void;
}

/**
 * Runs each assertion on the output and records its verdict against the evaluated call (source
 * `assertion`). Never throws: a check that throws is no verdict on the output, so it is returned
 * with its error and not recorded.
 */
export function runAssertions(
  recorder: EvaluationRecorder, call: EvaluatedCall, output: unknown, assertions: AssertionEvaluator[],
): AssertionOutcome[] {
  return (Array.isArray(assertions) ? assertions : []).map((assertion) => {
    const evaluator = String(assertion?.id);
    const version = String(assertion?.version);
    let result: AssertionVerdict;
    try {
      result = assertion.check(output);
      if (typeof result?.passed !== 'boolean') throw new Error('it returned no verdict');
    } catch (error) {
      return { evaluator, version, detail: `the check failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    try {
      // The recorder repairs or counts odd input itself; a custom recorder that throws must not reach the agent.
      recorder.recordEvaluation({
        ...call, evaluator: assertion.id, evaluatorVersion: assertion.version, source: EvaluationSource.ASSERTION, passed: result.passed,
      });
    } catch (error) {
      return { evaluator, version, passed: result.passed, detail: `not recorded: ${error instanceof Error ? error.message : String(error)}` };
    }
    return { evaluator, version, passed: result.passed, detail: result.detail };
  });
}
