import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { reportSchema } from './report-schema';

/** Where the published JSON Schema of `report.json` lives, relative to the project root. */
export const REPORT_SCHEMA_FILE = path.join('docs', 'report.schema.json');

/** `report.json`'s schema as JSON Schema (draft 2020-12), for tools that read reports without this library. */
export function reportJsonSchema(): object {
  return {
    $id: 'https://github.com/cdk-ai-ops/cdk-ai-ops/blob/main/docs/report.schema.json',
    title: 'cdk-ai-ops governance report',
    ...z.toJSONSchema(reportSchema, { target: 'draft-2020-12' }),
  };
}

/** Writes the JSON Schema file (`npx projen schema`). */
export function writeReportJsonSchema(projectRoot: string = process.cwd()): void {
  fs.writeFileSync(path.join(projectRoot, REPORT_SCHEMA_FILE), JSON.stringify(reportJsonSchema(), undefined, 2) + '\n');
}
