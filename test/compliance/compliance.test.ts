import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { acknowledgeOutsideVpc, RECURRING_ACKNOWLEDGEMENTS } from '../../lib/compliance/acknowledgements';
import { NagChecks } from '../../lib/compliance/nag-checks';
import { NagReport, SUPPRESSED } from '../../lib/compliance/nag-report';
import { CompliancePack } from '../../lib/config/types';
import { AiOpsApp, AiOpsStack } from '../../lib/facade';
import { EXAMPLE_CONFIG_FILE, newApp, PROJECT_ROOT, validationFindings } from '../support/example';

const ALL_PACKS = ['AwsSolutions', 'Serverless', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];
const STACK = AiOpsStack.stackNameFor('example');

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-compliance-'));
}

/** The example client as `cdk synth` builds it (AiOpsApp, -c client=example), from a clients folder. */
function exampleApp(clientsDir = path.dirname(EXAMPLE_CONFIG_FILE)): AiOpsApp {
  return new AiOpsApp({ projectRoot: PROJECT_ROOT, outdir: tempDir(), context: { client: 'example', clientsDir } });
}

/** Every report file of a folder, by file name. */
function reports(directory: string): Record<string, NagReport> {
  return Object.fromEntries(fs.readdirSync(directory).filter((f) => f.endsWith('-NagReport.json'))
    .map((f) => [f, JSON.parse(fs.readFileSync(path.join(directory, f), 'utf8')) as NagReport]));
}

/** The packs that wrote a report into a folder. */
function packsReported(directory: string): string[] {
  return [...new Set(Object.keys(reports(directory)).map((f) => f.split('-')[0]))].sort();
}

describe('compliance packs of the example client (nist-800-53-r5, hipaa-security, pci-dss-3.2.1)', () => {
  // One synthesis for the whole describe: the example with its five packs is the expensive part.
  let app: AiOpsApp;
  let findings: string[];
  beforeAll(() => {
    app = exampleApp();
    findings = validationFindings(app);
  });

  test('the example opts into all three', () => {
    expect(app.configs[0].compliance).toEqual([CompliancePack.NIST_800_53_R5, CompliancePack.HIPAA_SECURITY, CompliancePack.PCI_DSS_3_2_1]);
  });

  test('synthesizes with zero unacknowledged findings, errors and warnings alike, in all five packs', () => {
    expect(findings).toEqual([]);
    const checks = app.stacks[0].node.findChild(AiOpsApp.NAG_CHECKS) as NagChecks;
    expect(checks.packNames).toEqual(ALL_PACKS);
    expect(packsReported(app.outdir)).toEqual([...ALL_PACKS].sort());
  });

  test('each pack writes its cdk-nag JSON report next to the template: every rule on every resource, each acknowledgement with its reason', () => {
    const files = reports(app.outdir);
    for (const pack of ALL_PACKS) {
      const report = files[`${pack}-${STACK}-NagReport.json`];
      expect(report.lines.length).toBeGreaterThan(0);
      expect(report.lines.every((line) => line.ruleId.startsWith(`${pack}-`))).toBe(true);
      expect(report.lines.filter((line) => line.compliance === 'Non-Compliant')).toEqual([]);
    }
    // The nested stacks (one per agent) have reports of their own, named by their unique id as cdk-nag 2 named them.
    const nested = Object.keys(files).filter((f) => f.startsWith('NIST.800.53.R5-') && !f.includes(`-${STACK}-`));
    expect(nested.length).toBeGreaterThan(0);
    const lines = Object.values(files).flatMap((r) => r.lines);
    const forwarderVpc = lines.find((l) => l.ruleId === 'NIST.800.53.R5-LambdaInsideVPC' && l.resourceId.endsWith('/Alerts/PagerDutyForwarder/Resource'));
    expect(forwarderVpc).toEqual(expect.objectContaining({ compliance: SUPPRESSED, exceptionReason: expect.stringMatching(/PagerDuty Events API/), ruleLevel: 'Error' }));
    expect(lines.some((l) => l.compliance === 'Compliant' && l.ruleId === 'HIPAA.Security-SNSEncryptedKMS')).toBe(true);
    expect(lines.filter((l) => l.compliance === SUPPRESSED && !(l.exceptionReason.length > 20))).toEqual([]);
  });

  test('docs/compliance.md names every acknowledged finding of every pack, and every rule of the shared acknowledgements', () => {
    const doc = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'compliance.md'), 'utf8');
    const lines = Object.values(reports(app.outdir)).flatMap((r) => r.lines);
    const acknowledged = new Set(lines.filter((l) => l.compliance === SUPPRESSED).map((l) => l.ruleId));
    expect(acknowledged.size).toBeGreaterThan(20);
    expect([...acknowledged].filter((ruleId) => !doc.includes(`\`${ruleId.replace(/\|/g, '\\|')}\``))).toEqual([]);
    expect(Object.values(RECURRING_ACKNOWLEDGEMENTS).flat().filter((ruleId) => !acknowledged.has(ruleId) || !doc.includes(ruleId))).toEqual([]);
  });

  test('permissions are in customer-managed policies: no inline policy anywhere', () => {
    const lines = Object.values(reports(app.outdir)).flatMap((r) => r.lines);
    expect(lines.filter((l) => l.ruleId === 'PCI.DSS.321-IAMNoInlinePolicy' && l.compliance !== 'Compliant')).toEqual([]);
  });
});

describe('a client without `compliance`', () => {
  test('gets the default packs only (AwsSolutions and Serverless), with their reports', () => {
    // GIVEN the example without its compliance key
    const clientsDir = tempDir();
    const yaml = fs.readFileSync(EXAMPLE_CONFIG_FILE, 'utf8').replace(/^compliance:.*\n/m, '');
    fs.writeFileSync(path.join(clientsDir, 'example.yaml'), yaml);
    // WHEN cdk synth builds it
    const app = exampleApp(clientsDir);
    const findings = validationFindings(app);
    // THEN only the default packs ran, clean, and wrote their reports
    expect(app.configs[0].compliance).toBeUndefined();
    expect(findings).toEqual([]);
    expect((app.stacks[0].node.findChild(AiOpsApp.NAG_CHECKS) as NagChecks).packNames).toEqual(['AwsSolutions', 'Serverless']);
    expect(packsReported(app.outdir)).toEqual(['AwsSolutions', 'Serverless']);
  });
});

describe('NagChecks', () => {
  function probe(app: App, id: string, compliance?: CompliancePack[]): Stack {
    const stack = new Stack(app, id);
    new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = () => 1') });
    new NagChecks(stack, 'NagChecks', { compliance });
    return stack;
  }

  test('checks each stack with its own packs only: one client\'s choice never reaches another\'s stack', () => {
    // GIVEN two stacks with the same function, one with NIST 800-53 and one with the defaults
    const app = newApp();
    probe(app, 'Strict', [CompliancePack.NIST_800_53_R5]);
    probe(app, 'Plain');
    // WHEN synthesized
    const findings = validationFindings(app);
    // THEN the NIST findings are the strict stack's alone; both get the default packs
    expect(findings).toEqual(expect.arrayContaining(['NIST.800.53.R5-LambdaInsideVPC at Strict/Fn/Resource', 'Serverless-LambdaTracing at Plain/Fn/Resource']));
    expect(findings.filter((f) => f.startsWith('NIST.') && !f.includes(' at Strict/'))).toEqual([]);
    expect(findings.filter((f) => f.startsWith('Serverless-LambdaTracing')).sort()).toEqual(['Serverless-LambdaTracing at Plain/Fn/Resource', 'Serverless-LambdaTracing at Strict/Fn/Resource']);
    expect(Object.keys(reports(app.outdir)).sort()).toEqual([
      'AwsSolutions-Plain-NagReport.json', 'AwsSolutions-Strict-NagReport.json', 'NIST.800.53.R5-Strict-NagReport.json',
      'Serverless-Plain-NagReport.json', 'Serverless-Strict-NagReport.json',
    ]);
  });

  test('an unacknowledged finding is Non-Compliant in the report; an acknowledged one is Suppressed with its reason', () => {
    const app = newApp();
    const stack = probe(app, 'Probe', [CompliancePack.HIPAA_SECURITY]);
    const fn = stack.node.findChild('Fn') as lambda.Function;
    acknowledgeOutsideVpc(fn, 'Calls nothing but a test double.');
    const findings = validationFindings(app);
    expect(findings).not.toContain('HIPAA.Security-LambdaInsideVPC at Probe/Fn/Resource');
    expect(findings).toContain('HIPAA.Security-LambdaConcurrency at Probe/Fn/Resource');
    const lines = reports(app.outdir)['HIPAA.Security-Probe-NagReport.json'].lines;
    expect(lines.find((l) => l.ruleId === 'HIPAA.Security-LambdaInsideVPC')).toEqual(expect.objectContaining({ compliance: SUPPRESSED, exceptionReason: 'Calls nothing but a test double.' }));
    expect(lines.find((l) => l.ruleId === 'HIPAA.Security-LambdaConcurrency')).toEqual(expect.objectContaining({ compliance: 'Non-Compliant', exceptionReason: 'N/A' }));
  });
});
