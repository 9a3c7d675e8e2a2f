import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ClientConfig, ClientConfigLoader } from '../../lib/config';
import { AiOpsStack } from '../../lib/facade';

export const PROJECT_ROOT = path.join(__dirname, '..', '..');
export const EXAMPLE_CONFIG_FILE = path.join(PROJECT_ROOT, 'clients', 'example.yaml');

export function exampleConfig(): ClientConfig {
  return ClientConfigLoader.fromFile(EXAMPLE_CONFIG_FILE);
}

/** An app in a temporary output folder, so parallel test files never share cdk.out. */
export function newApp(): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-test-')) });
}

/** The example client's stack, as the CDK app builds it. */
export function exampleStack(app: App = newApp()): AiOpsStack {
  return new AiOpsStack(app, AiOpsStack.stackNameFor('example'), { config: exampleConfig() });
}

/**
 * Synthesizes the app with cdk-nag's AwsSolutions and Serverless packs and returns every
 * unacknowledged finding (and every plugin failure) as `<rule> at <construct path>`. Call it before
 * anything else synthesizes the app: a second synthesis reuses the first one's assembly.
 */
export function nagFindings(app: App): string[] {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return validationFindings(app);
}

/**
 * Synthesizes the app with the validation plugins it has (an `AiOpsApp`'s `NagChecks`) and returns
 * every unacknowledged finding and plugin failure as `<rule> at <construct path>`.
 */
export function validationFindings(app: App): string[] {
  const exitCodeBefore = process.exitCode;
  const originalError = console.error;
  console.error = () => undefined; // the pretty report; the JSON copy is read below
  let directory: string;
  try {
    directory = app.synth().directory;
  } finally {
    console.error = originalError;
    process.exitCode = exitCodeBefore;
  }
  const reportFile = path.join(directory, 'validation-report.json');
  if (!fs.existsSync(reportFile)) return [];
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const findings: string[] = [];
  for (const plugin of report.pluginReports) {
    if (plugin.conclusion !== 'success' && plugin.violations.length === 0) {
      findings.push(`${plugin.pluginName} failed: ${JSON.stringify(plugin.metadata ?? plugin)}`);
    }
    for (const violation of plugin.violations) {
      for (const where of violation.violatingConstructs) findings.push(`${violation.ruleName} at ${where.constructPath}`);
    }
  }
  return findings;
}
