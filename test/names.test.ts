import * as fs from 'fs';
import * as path from 'path';
import { TelemetryDimensionSets, TelemetryMetrics } from '../lib/telemetry';
import { PROJECT_ROOT } from './support/example';

const SOURCE_FOLDERS = ['lib', 'bin', 'lambda', 'test'];

function sourceFiles(folder: string): string[] {
  const dir = path.join(PROJECT_ROOT, folder);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => path.join(folder, file));
}

describe('one source for every name', () => {
  const files = SOURCE_FOLDERS.flatMap(sourceFiles).map((file) => ({ file, text: fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8') }));
  const dimensionNames = [...new Set(TelemetryDimensionSets.all().flatMap((set) => set.dimensions))];

  test.each([...TelemetryMetrics.all().map((m) => m.name), ...dimensionNames])('%s is written as a string literal in exactly one source file', (name) => {
    const literal = new RegExp(`(['"\`])${name}\\1`);
    const holders = files.filter(({ text }) => literal.test(text)).map(({ file }) => file);
    expect(holders).toEqual([path.join('lib', 'telemetry', 'contract.ts')]);
  });
});

describe('layers', () => {
  const importsOf = (folder: string) => fs.readdirSync(path.join(PROJECT_ROOT, 'lib', folder)).flatMap((file) =>
    [...fs.readFileSync(path.join(PROJECT_ROOT, 'lib', folder, file), 'utf8').matchAll(/from '\.\.\/([a-z-]+)\//g)].map((m) => `${file} -> ${m[1]}`));

  test('lib/alarms and lib/routing do not import each other; both build on lib/common, which imports neither', () => {
    expect(importsOf('alarms').filter((i) => i.endsWith('-> routing'))).toEqual([]);
    expect(importsOf('routing').filter((i) => i.endsWith('-> alarms'))).toEqual([]);
    expect(importsOf('common').filter((i) => /-> (alarms|routing|governance|dashboards|facade)$/.test(i))).toEqual([]);
  });
});
