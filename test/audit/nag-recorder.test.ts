/*
 * The cdk-nag recorder on a small app under the real AwsSolutions pack: every rule result is
 * written as cdk-nag's JSON report, acknowledged findings with their reasons, open findings as
 * such, and what the pack decides (the validation report) is unchanged.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NagReportRecorder, nagReportFileName } from '../../lib/audit/nag-recorder';
import { readNagReports } from '../../lib/cli/audit-command';

/** An app with one queue acknowledged for AwsSolutions-SQS3 and one not. */
function appWithQueues(outdir: string): App {
  const app = new App({ outdir });
  const stack = new Stack(app, 'Queues');
  const acknowledged = new sqs.Queue(stack, 'Acknowledged', { enforceSSL: true });
  Validations.of(acknowledged).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'it is a dead-letter queue' });
  new sqs.Queue(stack, 'Open', { enforceSSL: true });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

function synthQuietly(app: App): void {
  const exitCode = process.exitCode;
  const silenced = console.error;
  console.error = () => undefined;
  try {
    app.synth();
  } finally {
    console.error = silenced;
    process.exitCode = exitCode; // the open finding fails validation on purpose
  }
}

test('GIVEN an acknowledged and an open finding WHEN synthesized under a recorder THEN the JSON report holds both, and the pack decides as without it', () => {
  // GIVEN
  const recordedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-nag-'));
  const plainDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-nag-'));
  const app = appWithQueues(recordedDir);
  const recorder = new NagReportRecorder(NagReportRecorder.packsOf(app));

  // WHEN
  synthQuietly(app);
  const written = recorder.write();
  synthQuietly(appWithQueues(plainDir));

  // THEN: the report file is cdk-nag's JSON report, beside the template
  expect(written).toEqual([path.join(recordedDir, nagReportFileName('AwsSolutions', 'Queues'))]);
  const [report] = readNagReports(recordedDir);
  expect(report).toMatchObject({ pack: 'AwsSolutions', stack: 'Queues' });
  const sqs3 = report.lines.filter((l) => l.ruleId === 'AwsSolutions-SQS3').map((l) => [l.resourceId, l.compliance, l.exceptionReason]);
  expect(sqs3).toEqual([
    ['Queues/Acknowledged/Resource', 'Suppressed', 'it is a dead-letter queue'],
    ['Queues/Open/Resource', 'Non-Compliant', undefined],
  ]);
  expect(report.lines.filter((l) => l.ruleId === 'AwsSolutions-SQS4').map((l) => l.compliance)).toEqual(['Compliant', 'Compliant']);
  for (const line of report.lines) expect(line.ruleInfo).not.toBe('');
  // The pack's own verdict is the same with and without the recorder.
  const verdict = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'validation-report.json'), 'utf8')).pluginReports;
  expect(verdict(recordedDir)).toEqual(verdict(plainDir));
  expect(JSON.stringify(verdict(recordedDir))).toContain('AwsSolutions-SQS3');
  // A report already there (another writer) is left as it is.
  expect(recorder.write()).toEqual([]);
  fs.rmSync(recordedDir, { recursive: true, force: true });
  fs.rmSync(plainDir, { recursive: true, force: true });
});
