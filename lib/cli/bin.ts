#!/usr/bin/env node
/* The `cdk-ai-ops` executable: runs the command line and sets the exit code. */
import { main } from './main';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, (error) => {
  process.stderr.write(`cdk-ai-ops: internal error (please report it): ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
