/*
 * The recipe of docs/platform-repo.md, run as written: its code block is saved to
 * test/.examples/testing-recipe.ts and loaded here, so its `test` calls join this file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from '../support/example';

const doc = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'platform-repo.md'), 'utf8');
const block = /<!-- example: testing-recipe -->\n```ts\n([\s\S]*?)```/.exec(doc);

describe('the testing recipe of docs/platform-repo.md', () => {
  if (!block) throw new Error('docs/platform-repo.md has no `<!-- example: testing-recipe -->` block');
  const dir = path.join(PROJECT_ROOT, 'test', '.examples');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'testing-recipe.ts'), block[1]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../.examples/testing-recipe');
});
