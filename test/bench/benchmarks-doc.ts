import * as fs from 'fs';
import * as path from 'path';

/** The file every benchmark writes its figures to. */
export const BENCHMARKS_DOC = path.join(__dirname, '..', '..', 'docs', 'benchmarks.md');

/**
 * Replaces the section of `bench:<name>` in docs/benchmarks.md (between its BEGIN and END
 * markers) with `lines`, or appends it when the file has none; the other sections stay as they are.
 */
export function writeBenchSection(name: string, lines: string[]): void {
  const begin = `<!-- BEGIN bench:${name} -->`;
  const end = `<!-- END bench:${name} -->`;
  const section = [begin, ...lines, end].join('\n');
  const current = fs.existsSync(BENCHMARKS_DOC)
    ? fs.readFileSync(BENCHMARKS_DOC, 'utf8')
    : '# Benchmarks\n\nFigures measured on the project\'s machines, each with the command that produced it.\n';
  const start = current.indexOf(begin);
  fs.writeFileSync(BENCHMARKS_DOC, start >= 0
    ? current.slice(0, start) + section + current.slice(current.indexOf(end) + end.length)
    : `${current.trimEnd()}\n\n${section}\n`);
}
