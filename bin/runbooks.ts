#!/usr/bin/env node
/*
 * `npm run runbooks -- -c client=<id> [--out <folder>]`: writes one Markdown runbook per alarm of
 * the client's stack (default folder cdk.out/runbooks/<client>/), plus an index. Publish the folder
 * where the config's runbookBaseUrl points: alarm descriptions link to <runbookBaseUrl>/<alarm>.md.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { renderRunbook } from '../lib/alarms/runbooks';
import { ClientConfigError } from '../lib/config/loader';
import { AiOpsStack } from '../lib/facade';
import { CLIENT_CONTEXT, CLIENTS_DIR_CONTEXT, loadClientFromContext } from '../lib/facade/client-selection';

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

const args = process.argv.slice(2);
const context: Record<string, string> = {};
args.forEach((arg, i) => {
  if (arg === '-c' || arg === '--context') {
    const [key, ...value] = (args[i + 1] ?? '').split('=');
    context[key] = value.join('=');
  }
});

const app = new App({ context: { [CLIENT_CONTEXT]: context[CLIENT_CONTEXT], [CLIENTS_DIR_CONTEXT]: context[CLIENTS_DIR_CONTEXT] } });
let stack: AiOpsStack;
try {
  const config = loadClientFromContext(app.node, path.join(__dirname, '..'));
  stack = new AiOpsStack(app, AiOpsStack.stackNameFor(config.clientId), { config });
} catch (error) {
  if (error instanceof ClientConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const { aiOps } = stack;
const config = aiOps.config;
const outDir = option(args, '--out') ?? path.join('cdk.out', 'runbooks', config.clientId);
fs.mkdirSync(outDir, { recursive: true });
const index: string[] = [`# Runbooks of ${config.displayName}`, '', '| alarm | severity | pages |', '|---|---|---|'];
for (const alarm of aiOps.alarms()) {
  fs.writeFileSync(path.join(outDir, `${alarm.alarmName}.md`), renderRunbook(alarm, config));
  index.push(`| [${alarm.alarmName}](${alarm.alarmName}.md) | ${alarm.severity} | ${alarm.pages ? 'yes' : 'no: feeds a composite'} |`);
}
fs.writeFileSync(path.join(outDir, 'README.md'), index.join('\n') + '\n');
console.error(`wrote ${aiOps.alarms().length} runbooks to ${outDir}`);
