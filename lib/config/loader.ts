import * as fs from 'fs';
import * as YAML from 'yaml';
import { z } from 'zod';
import { clientConfigSchema } from './schema';
import { Problem, semanticProblems } from './semantics';
import { ClientConfig } from './types';
import { PriceCatalog } from '../pricing/price-catalog';

/** One thing wrong with a client config, placed in its file. */
export interface ConfigProblem {
  /** The config file. */
  readonly file: string;
  /** JSON path of the bad value, e.g. `$.agents[0].owner.team`. */
  readonly path: string;
  /**
   * 1-based line and column of the bad value (or of the nearest enclosing value that exists).
   * @default - unknown (the config did not come from text)
   */
  readonly line?: number;
  /** @default - unknown */
  readonly column?: number;
  readonly expected: string;
  readonly found: string;
}

/** A client config that cannot be used; `message` lists every problem, one per line. */
export class ClientConfigError extends Error {
  public readonly problems: ConfigProblem[];

  public constructor(public readonly file: string, problems: ConfigProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super([`${file}: invalid client config, ${count}:`, ...problems.map(formatProblem)].join('\n'));
    this.name = 'ClientConfigError';
    this.problems = problems;
  }
}

function formatProblem(problem: ConfigProblem): string {
  const where = problem.line ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
  return `  ${where} ${problem.path}: expected ${problem.expected}, found ${problem.found}`;
}

function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return '$' + path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  if (value === null) return 'an empty value';
  if (value instanceof Date) return 'a date (quote it to keep it text)';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `'${printable(value.length > 60 ? value.slice(0, 57) + '...' : value)}'`;
  return `${typeof value} ${String(value)}`;
}

/** Control characters shown as escapes, so a message never carries a raw newline or NUL. */
function printable(text: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A zod type name in plain English, with its article. */
const TYPE_NAMES: Record<string, string> = { object: 'an object', array: 'a list', string: 'a string', number: 'a number', boolean: 'true or false', record: 'an object' };

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The keys a strict object of the schema accepts at `path`, for "unknown key" messages. */
function allowedKeysAt(path: ReadonlyArray<PropertyKey>): string[] {
  let schema: z.ZodType = clientConfigSchema;
  for (const key of path) {
    while (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
    if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else if (schema instanceof z.ZodObject) schema = schema.shape[String(key)] as z.ZodType;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else return [];
    if (!schema) return [];
  }
  while (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function fromZodIssue(issue: z.core.$ZodIssue): Problem[] {
  const found = describeValue(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      return [{ path: issue.path, expected: issue.message.startsWith('Invalid input') ? TYPE_NAMES[issue.expected] ?? `a ${issue.expected}` : issue.message, found }];
    case 'invalid_value':
      return [{ path: issue.path, expected: `one of ${issue.values.map(String).join(', ')}`, found }];
    case 'too_small': {
      // A schema's own message (it says why) wins over the generic wording.
      if (!issue.message.startsWith('Too small')) return [{ path: issue.path, expected: issue.message, found }];
      const what = issue.origin === 'array' ? 'a list of at least' : issue.origin === 'string' ? 'text of at least' : `a ${issue.origin} ${issue.inclusive ? '>=' : '>'}`;
      return [{ path: issue.path, expected: `${what} ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : ''}`, found }];
    }
    case 'too_big': {
      if (!issue.message.startsWith('Too big')) return [{ path: issue.path, expected: issue.message, found }];
      const what = issue.origin === 'array' ? 'a list of at most' : issue.origin === 'string' ? 'text of at most' : `a ${issue.origin} ${issue.inclusive ? '<=' : '<'}`;
      return [{ path: issue.path, expected: `${what} ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ''}`, found }];
    }
    case 'not_multiple_of':
      return [{ path: issue.path, expected: `a multiple of ${String(issue.divisor)}`, found }];
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(issue.path);
      return issue.keys.map((key) => {
        const closest = allowed.find((candidate) => editDistance(candidate, key) <= 2);
        const hint = closest ? ` (did you mean '${closest}'?)` : '';
        return { path: [...issue.path, key], expected: `one of the keys ${allowed.join(', ')}`, found: `unknown key '${key}'${hint}` };
      });
    }
    default:
      // Format, refinement and union issues carry the schema's own "expected" text.
      return [{ path: issue.path, expected: issue.message, found }];
  }
}

/** 1-based line and column of the deepest node of `path` that exists in the document. */
function positionOf(doc: YAML.Document, lines: YAML.LineCounter, path: ReadonlyArray<PropertyKey>) {
  let node: unknown = doc.contents;
  let range = (node as YAML.Node | null)?.range;
  for (const [depth, key] of path.entries()) {
    if (YAML.isMap(node)) {
      const pair = node.items.find((item) => YAML.isScalar(item.key) && String(item.key.value) === String(key));
      if (!pair) break;
      // The last segment points at its key (an unknown key has nothing else); the rest descend into values.
      const target = depth === path.length - 1 || !YAML.isNode(pair.value) ? pair.key : pair.value;
      node = target;
      range = (YAML.isNode(target) ? target.range : undefined) ?? range;
    } else if (YAML.isSeq(node) && typeof key === 'number' && YAML.isNode(node.items[key])) {
      node = node.items[key];
      range = (node as YAML.Node).range ?? range;
    } else {
      break;
    }
  }
  // An empty document has no node: its problems are placed at its start.
  const { line, col } = lines.linePos(range?.[0] ?? 0);
  return { line, column: col };
}

/** Limits on the text of a config file: a client config is a few kilobytes and a dozen levels deep. */
export const CONFIG_FILE_LIMITS = {
  /** Bytes of one config file. */
  maxBytes: 1_048_576,
  /** Nesting of objects and lists (the schema's deepest value is 8 levels down). */
  maxDepth: 32,
} as const;

/** Refused YAML features reported, at most: an alias bomb repeats the same finding thousands of times. */
const MAX_YAML_PROBLEMS = 20;

// Keys that would reach an object's prototype when the config is turned into objects.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Options of one load. */
export interface LoadOptions {
  /**
   * The clientId the file must have (its name), checked with every other rule.
   * @default - any
   */
  readonly expectedClientId?: string;
  /**
   * Today, for the rules that depend on the date (the 30 days a rollout keeps its previous variant).
   * @default - the current time
   */
  readonly now?: Date;
}

type Positioned = Problem & { readonly line?: number; readonly column?: number };

/** The text of a config file, refused when it is not UTF-8 (no silent U+FFFD). */
function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const before = lossy.slice(0, lossy.indexOf('\uFFFD'));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw new ClientConfigError(file, [{
      file,
      path: '$',
      line,
      column,
      expected: 'UTF-8 text (save the file as UTF-8)',
      found: 'bytes that are not UTF-8 (another encoding such as Latin-1?)',
    }]);
  }
}

/**
 * What the YAML may not use, found without expanding anything: nesting deeper than the limit,
 * aliases and anchors (an alias bomb expands exponentially), merge keys, tags (`!Ref`,
 * `!!js/function`: the config is data, never CloudFormation or code) and prototype keys. Walks
 * with its own stack, so 10,000 levels cost no recursion.
 */
function unsafeYaml(doc: YAML.Document, lines: YAML.LineCounter): Positioned[] {
  const problems: Positioned[] = [];
  const at = (node: { range?: YAML.Range | null }, path: PropertyKey[], expected: string, found: string) => {
    if (problems.length === MAX_YAML_PROBLEMS) return;
    const { line, col } = lines.linePos(node.range?.[0] ?? 0);
    problems.push({ path, line, column: col, expected, found });
  };
  const stack: Array<{ node: unknown; path: PropertyKey[] }> = [{ node: doc.contents, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (YAML.isAlias(node)) {
      at(node, path, 'a value written out (YAML aliases are not accepted)', `an alias *${node.source}`);
      continue;
    }
    if (!YAML.isNode(node)) continue;
    if (node.anchor) at(node, path, 'a value without an anchor (YAML anchors and aliases are not accepted)', `an anchor &${node.anchor}`);
    if (node.tag) at(node, path, 'a plain value (YAML tags are not accepted; quote the value to keep it text)', `the tag ${printable(node.tag)}`);
    if (path.length > CONFIG_FILE_LIMITS.maxDepth) {
      at(node, path, `at most ${CONFIG_FILE_LIMITS.maxDepth} levels of nesting`, 'a value nested deeper');
      continue;
    }
    if (YAML.isMap(node)) {
      // Pushed last first, so the walk meets values in document order.
      for (const pair of [...node.items].reverse()) {
        const key = YAML.isScalar(pair.key) ? String(pair.key.value) : undefined;
        const keyNode = (YAML.isNode(pair.key) ? pair.key : node) as YAML.Node;
        if (key === undefined) {
          at(keyNode, path, 'a plain text key', 'a key that is an object or a list');
        } else if (key === '<<') {
          at(keyNode, path, 'keys written out (YAML merge keys are not accepted)', "a merge key '<<'");
        } else if (FORBIDDEN_KEYS.has(key)) {
          at(keyNode, [...path, key], 'a key that is not __proto__, constructor or prototype', `the key '${key}'`);
        } else {
          if (YAML.isNode(pair.key) && pair.key.tag) at(pair.key, [...path, key], 'a plain key (YAML tags are not accepted)', `the tag ${printable(pair.key.tag)}`);
          stack.push({ node: pair.value, path: [...path, key] });
        }
      }
    } else if (YAML.isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], path: [...path, i] });
    }
  }
  return problems;
}

// Zero-width markers the lexer yields (document, flow end, scalar): not source text.
const LEXER_MARKERS = new Set(['\x02', '\x18', '\x1f']);
/** Nesting the lexical pre-scan lets through to the parser, which recurses once per level. */
const MAX_LEXICAL_DEPTH = 256;

/**
 * The offset where the text nests deeper than the parser can take (flow brackets, or indentation
 * and `-`/`?` indicators on one line), found by the lexer without recursion; the exact depth is
 * checked on the document afterwards.
 */
function tooDeepAt(text: string): number | undefined {
  let offset = 0;
  let flow = 0;
  let block = 0;
  let lineStart = true;
  for (const token of new YAML.Lexer().lex(text)) {
    if (LEXER_MARKERS.has(token)) continue;
    if (token === '\n' || token === '\r\n') {
      block = 0;
      lineStart = true;
    } else {
      if (token === '[' || token === '{') flow++;
      else if (token === ']' || token === '}') flow--;
      else if (lineStart && /^ +$/.test(token)) block += token.length;
      else if (token === '-' || token === '?') block++;
      lineStart = false;
      if (flow > MAX_LEXICAL_DEPTH || block > MAX_LEXICAL_DEPTH) return offset;
    }
    offset += token.length;
  }
  return undefined;
}

/** A problem's place for sorting: problems without a line go last, in the order found. */
const byPosition = (a: ConfigProblem, b: ConfigProblem) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0);

/**
 * Loads client configs from YAML into `ClientConfig` (the `AiOps` facade's props), rejecting
 * unknown keys and naming the file, path, expectation and value of every problem.
 */
export class ClientConfigLoader {
  /**
   * Reads and validates a client config file.
   * @throws ClientConfigError when the file is missing, is not YAML or breaks the schema
   */
  public static fromFile(file: string, catalog: PriceCatalog = PriceCatalog.builtIn(), options: LoadOptions = {}): ClientConfig {
    let bytes: Buffer;
    try {
      const size = fs.statSync(file).size;
      if (size > CONFIG_FILE_LIMITS.maxBytes) {
        throw new ClientConfigError(file, [{ file, path: '$', expected: `a config file of at most ${CONFIG_FILE_LIMITS.maxBytes} bytes`, found: `${size} bytes` }]);
      }
      bytes = fs.readFileSync(file);
    } catch (error) {
      if (error instanceof ClientConfigError) throw error;
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((error as Error).message);
      throw new ClientConfigError(file, [{ file, path: '$', expected: 'a readable YAML file', found: reason }]);
    }
    return ClientConfigLoader.fromYaml(decodeUtf8(bytes, file), file, catalog, options);
  }

  /**
   * Validates client config text; `file` names it in error messages.
   * @throws ClientConfigError when the text is not YAML or breaks the schema
   */
  public static fromYaml(text: string, file: string, catalog: PriceCatalog = PriceCatalog.builtIn(), options: LoadOptions = {}): ClientConfig {
    if (text.length > CONFIG_FILE_LIMITS.maxBytes) {
      throw new ClientConfigError(file, [{ file, path: '$', expected: `a config of at most ${CONFIG_FILE_LIMITS.maxBytes} characters`, found: `${text.length} characters` }]);
    }
    // A lone CR is a line break in YAML 1.2; the parser reads only LF and CRLF, so old Mac files are normalised.
    const normalised = text.replace(/\r(?!\n)/g, '\n');
    const deep = tooDeepAt(normalised);
    if (deep !== undefined) {
      const before = normalised.slice(0, deep);
      throw new ClientConfigError(file, [{
        file,
        path: '$',
        line: before.split('\n').length,
        column: deep - before.lastIndexOf('\n'),
        expected: `at most ${CONFIG_FILE_LIMITS.maxDepth} levels of nesting`,
        found: `more than ${MAX_LEXICAL_DEPTH}`,
      }]);
    }
    const lines = new YAML.LineCounter();
    const doc = YAML.parseDocument(normalised, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const fail = (problems: Positioned[]) => new ClientConfigError(file, problems.map((problem) => ({
      file,
      path: jsonPath(problem.path),
      ...(problem.line ? { line: problem.line, column: problem.column } : positionOf(doc, lines, problem.path)),
      expected: problem.expected,
      found: problem.found,
    })).sort(byPosition));
    if (doc.errors.length > 0) {
      throw fail(doc.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return { path: [], line, column: col, expected: 'valid YAML', found: error.message.split('\n')[0] };
      }));
    }
    const unsafe = unsafeYaml(doc, lines);
    if (unsafe.length > 0) throw fail(unsafe);
    const problems = problemsOf(doc.toJS(), catalog, options);
    if (problems.config === undefined) throw fail(problems.found);
    return problems.config;
  }

  /**
   * Validates a config that is already an object (built in code rather than read from YAML).
   * @throws ClientConfigError naming `source` when it breaks the schema
   */
  public static fromObject(value: any, source: string, catalog: PriceCatalog = PriceCatalog.builtIn(), options: LoadOptions = {}): ClientConfig {
    const checked = checkClientConfig(value, source, catalog, options);
    if (checked.config === undefined) throw new ClientConfigError(source, checked.problems);
    return checked.config;
  }
}

/**
 * Schema and cross-field problems together: when the schema fails, the cross-field rules still
 * run on every top-level section that is valid on its own, so one run reports everything.
 */
function problemsOf(value: unknown, catalog: PriceCatalog, options: LoadOptions): { config?: ClientConfig; found: Problem[] } {
  if (value === null || value === undefined) {
    return { found: [{ path: [], expected: 'an object with clientId, displayName, slaTier, agents, models, budgets and escalation', found: 'an empty document' }] };
  }
  const found: Problem[] = [];
  const parsed = clientConfigSchema.safeParse(value, { reportInput: true });
  let sections: Partial<ClientConfig> = {};
  if (parsed.success) {
    sections = parsed.data;
  } else {
    found.push(...parsed.error.issues.flatMap(fromZodIssue));
    if (typeof value === 'object' && !Array.isArray(value)) {
      const shape = clientConfigSchema.shape as Record<string, z.ZodType>;
      const valid: Record<string, unknown> = {};
      for (const [key, section] of Object.entries(value as Record<string, unknown>)) {
        const result = Object.hasOwn(shape, key) ? shape[key].safeParse(section) : undefined;
        if (result?.success) valid[key] = result.data;
      }
      // Models priced by an override that is itself broken would be reported as unknown.
      if (Object.hasOwn(value, 'priceOverrides') && !('priceOverrides' in valid)) delete valid.models;
      sections = valid as Partial<ClientConfig>;
    }
  }
  if (options.expectedClientId !== undefined && typeof (value as any).clientId === 'string' && (value as any).clientId !== options.expectedClientId) {
    found.push({ path: ['clientId'], expected: `'${options.expectedClientId}' (the file's name)`, found: `'${printable((value as any).clientId)}'` });
  }
  const prices = Array.isArray(sections.priceOverrides) ? catalog.withOverrides(sections.priceOverrides) : catalog;
  found.push(...semanticProblems(sections, prices, options.now));
  return found.length > 0 || !parsed.success ? { found } : { config: parsed.data, found };
}

/**
 * Validates a config object without throwing: the config when it is valid, else every problem
 * (JSON path, expected, found), for callers that report problems their own way (the `AiOps` facade).
 */
export function checkClientConfig(
  value: unknown, source: string, catalog: PriceCatalog, options: LoadOptions = {},
): { config?: ClientConfig; problems: ConfigProblem[] } {
  const { config, found } = problemsOf(value, catalog, options);
  const problems = found.map((problem) => ({ file: source, path: jsonPath(problem.path), expected: problem.expected, found: problem.found }));
  return { config, problems };
}
