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
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `'${value.length > 60 ? value.slice(0, 57) + '...' : value}'`;
  return `${typeof value} ${String(value)}`;
}

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
      return [{ path: issue.path, expected: issue.message.startsWith('Invalid input') ? `a ${issue.expected}` : issue.message, found }];
    case 'invalid_value':
      return [{ path: issue.path, expected: `one of ${issue.values.map(String).join(', ')}`, found }];
    case 'too_small': {
      const what = issue.origin === 'array' ? 'a list of at least' : `a ${issue.origin} ${issue.inclusive ? '>=' : '>'}`;
      return [{ path: issue.path, expected: `${what} ${String(issue.minimum)}`, found }];
    }
    case 'too_big': {
      const what = issue.origin === 'array' ? 'a list of at most' : `a ${issue.origin} ${issue.inclusive ? '<=' : '<'}`;
      return [{ path: issue.path, expected: `${what} ${String(issue.maximum)}`, found }];
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
  if (!range) return {};
  const { line, col } = lines.linePos(range[0]);
  return { line, column: col };
}

/**
 * Loads client configs from YAML into `ClientConfig` (the `AiOps` facade's props), rejecting
 * unknown keys and naming the file, path, expectation and value of every problem.
 */
export class ClientConfigLoader {
  /**
   * Reads and validates a client config file.
   * @throws ClientConfigError when the file is missing, is not YAML or breaks the schema
   */
  public static fromFile(file: string, catalog: PriceCatalog = PriceCatalog.builtIn()): ClientConfig {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((error as Error).message);
      throw new ClientConfigError(file, [{ file, path: '$', expected: 'a readable YAML file', found: reason }]);
    }
    return ClientConfigLoader.fromYaml(text, file, catalog);
  }

  /**
   * Validates client config text; `file` names it in error messages.
   * @throws ClientConfigError when the text is not YAML or breaks the schema
   */
  public static fromYaml(text: string, file: string, catalog: PriceCatalog = PriceCatalog.builtIn()): ClientConfig {
    const lines = new YAML.LineCounter();
    const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false });
    if (doc.errors.length > 0) {
      throw new ClientConfigError(file, doc.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return { file, path: '$', line, column: col, expected: 'valid YAML', found: error.message.split('\n')[0] };
      }));
    }
    const problems = ClientConfigLoader.problemsOf(doc.toJS(), catalog);
    if (problems.config === undefined) {
      throw new ClientConfigError(file, problems.found.map((problem) => ({
        file,
        path: jsonPath(problem.path),
        ...positionOf(doc, lines, problem.path),
        expected: problem.expected,
        found: problem.found,
      })));
    }
    return problems.config;
  }

  /**
   * Validates a config that is already an object (built in code rather than read from YAML).
   * @throws ClientConfigError naming `source` when it breaks the schema
   */
  public static fromObject(value: any, source: string, catalog: PriceCatalog = PriceCatalog.builtIn()): ClientConfig {
    const problems = ClientConfigLoader.problemsOf(value, catalog);
    if (problems.config === undefined) {
      throw new ClientConfigError(source, problems.found.map((problem) => ({
        file: source,
        path: jsonPath(problem.path),
        expected: problem.expected,
        found: problem.found,
      })));
    }
    return problems.config;
  }

  private static problemsOf(value: unknown, catalog: PriceCatalog): { config?: ClientConfig; found: Problem[] } {
    if (value === null || value === undefined) {
      return { found: [{ path: [], expected: 'a mapping with clientId, displayName, slaTier, agents, models, budgets and escalation', found: 'an empty document' }] };
    }
    const parsed = clientConfigSchema.safeParse(value, { reportInput: true });
    if (!parsed.success) {
      return { found: parsed.error.issues.flatMap(fromZodIssue) };
    }
    const config: ClientConfig = parsed.data;
    const found = semanticProblems(config, catalog.withOverrides(config.priceOverrides ?? []));
    return found.length > 0 ? { found } : { config, found };
  }
}
