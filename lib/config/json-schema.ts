import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { clientConfigSchema } from './schema';

/** Where the published JSON Schema lives, relative to the project root. */
export const CLIENT_CONFIG_SCHEMA_FILE = path.join('docs', 'client-config.schema.json');

/**
 * The client config schema as JSON Schema (draft 2020-12), for editors and auditors who validate
 * without running code. Cross-field rules (references, the price catalog) are not expressible
 * there and are checked at load only.
 */
export function clientConfigJsonSchema(): object {
  return {
    $id: 'https://github.com/cdk-ai-ops/cdk-ai-ops/blob/main/docs/client-config.schema.json',
    title: 'cdk-ai-ops client configuration',
    ...z.toJSONSchema(clientConfigSchema, { target: 'draft-2020-12' }),
  };
}

/** Writes the JSON Schema file (`npx projen schema`). */
export function writeClientConfigJsonSchema(projectRoot: string = process.cwd()): void {
  fs.writeFileSync(path.join(projectRoot, CLIENT_CONFIG_SCHEMA_FILE), JSON.stringify(clientConfigJsonSchema(), undefined, 2) + '\n');
}
