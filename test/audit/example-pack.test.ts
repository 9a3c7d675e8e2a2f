/// <reference lib="dom" />
/*
 * The example client's audit pack, complete: every resource of every template, every IAM
 * statement, every outbound integration and every acknowledgement appears. The expected sets are
 * read from the synthesized files directly (template files, their metadata, the metadata files),
 * not through the audit core. Then audit.html in a real headless Chromium.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser } from 'puppeteer-core';
import { AuditModel } from '../../lib/audit/model';
import { AUDIT_SECTIONS } from '../../lib/audit/render';
import { auditCommand, AuditResult } from '../../lib/cli/audit-command';
import { CHANGE_EVENTS_ENV } from '../../lib/rollout/change-events-contract';
import { FORWARDER_ENV } from '../../lib/routing/sla';
import { chromiumInstalled, CHROMIUM_PATH, launchChromium } from '../support/chromium';
import { PROJECT_ROOT } from '../support/example';

const IN_CI = Boolean(process.env.CI) && process.env.CI !== 'false';

let result: AuditResult;
let model: AuditModel;
/** Every template file of the assembly, parsed, with every resource's construct path. */
let resources: Array<{ path: string; type: string; logicalId: string; resource: any }>;

const readable = (p: string) => p.replace(/^\//, '').replace(/\/Resource$/, '');

beforeAll(() => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ai-ops-audit-pack-'));
  const silenced = console.error;
  console.error = () => undefined; // cdk-nag's validation table
  try {
    result = auditCommand(['--out', out], { projectRoot: PROJECT_ROOT, keepAssembly: true, now: new Date('2026-11-29T12:00:00Z') });
  } finally {
    console.error = silenced;
  }
  model = result.model;
  resources = fs.readdirSync(result.assemblyDir).filter((f) => f.endsWith('.template.json')).flatMap((file) => {
    const template = JSON.parse(fs.readFileSync(path.join(result.assemblyDir, file), 'utf8'));
    return Object.entries<any>(template.Resources).map(([logicalId, resource]) => ({ path: readable(resource.Metadata['aws:cdk:path']), type: resource.Type, logicalId, resource }));
  });
}, 120_000);

afterAll(() => {
  fs.rmSync(result.assemblyDir, { recursive: true, force: true });
  fs.rmSync(result.outDir, { recursive: true, force: true });
});

test('the three files are written, and the JSON is the model', () => {
  expect(result.files).toEqual(['audit.md', 'audit.html', 'audit.json']);
  expect(JSON.parse(fs.readFileSync(path.join(result.outDir, 'audit.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(model)));
});

test('every resource of every template (root and nested) appears once, by construct path, with a purpose', () => {
  expect(resources.length).toBeGreaterThan(150);
  expect(new Set(resources.map((r) => r.type))).toContain('AWS::CloudWatch::Alarm'); // nested stacks were read
  expect(model.resources.map((r) => r.path).sort()).toEqual(resources.map((r) => r.path).sort());
  for (const r of model.resources) expect(r.purpose).not.toBe('');
  const md = fs.readFileSync(path.join(result.outDir, 'audit.md'), 'utf8');
  for (const r of resources) expect(md).toContain(r.path);
});

test('every IAM statement of every policy document appears with its source', () => {
  // Expected: each statement of each policy document property, wherever it is, and each invoke permission.
  const expected: string[] = [];
  const documents = /^(AssumeRolePolicyDocument|PolicyDocument|KeyPolicy)$/;
  for (const r of resources) {
    if (r.type === 'AWS::Lambda::Permission') expected.push(`${r.path}#0`);
    const walk = (value: any, name: string) => {
      if (typeof value !== 'object' || value === null) return;
      if (documents.test(name) && value.Statement) {
        const statements = Array.isArray(value.Statement) ? value.Statement : [value.Statement];
        statements.forEach((_: unknown, i: number) => expected.push(`${r.path}#${i}`));
        return;
      }
      for (const [k, v] of Object.entries(value)) walk(v, k);
    };
    walk(r.resource.Properties, '');
  }
  const pathOf = new Map(model.resources.map((r) => [`${r.template}\0${r.logicalId}`, r.path]));
  const found = model.policies.flatMap((p) => p.statements).map((s) => `${pathOf.get(`${s.source.template}\0${s.source.logicalId}`)}#${s.source.index}`);
  expect(expected.length).toBeGreaterThan(40);
  expect(found.sort()).toEqual(expected.sort());
  // Each role lists the statements of its attached policies; the trust policy names who may assume it.
  const roles = resources.filter((r) => r.type === 'AWS::IAM::Role');
  expect(model.roles.map((r) => r.path).sort()).toEqual(roles.map((r) => r.path).sort());
  for (const role of model.roles) expect(role.assumedBy.length).toBeGreaterThan(0);
});

test('every outbound integration appears: email and other subscriptions, Slack channels, the PagerDuty forwarder, SES senders', () => {
  const roleOf = (fn: any) => fn.resource.Properties.Role['Fn::GetAtt'][0];
  const sesRoles = resources.filter((r) => ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(r.type)
    && JSON.stringify(r.resource.Properties.PolicyDocument).includes('"ses:SendEmail"'))
    .flatMap((r) => (r.resource.Properties.Roles ?? []).map((role: any) => role.Ref));
  const expected = [
    ...resources.filter((r) => r.type === 'AWS::SNS::Subscription' && !['lambda', 'sqs'].includes(r.resource.Properties.Protocol)).map((r) => r.path),
    ...resources.filter((r) => r.type === 'AWS::Chatbot::SlackChannelConfiguration').map((r) => r.path),
    ...resources.filter((r) => r.type === 'AWS::Lambda::Function' && r.resource.Properties.Environment?.Variables?.[FORWARDER_ENV.EVENTS_URL]).map((r) => r.path),
    ...resources.filter((r) => r.type === 'AWS::Lambda::Function' && r.resource.Properties.Environment?.Variables?.[CHANGE_EVENTS_ENV.CHANGE_EVENTS_URL]).map((r) => r.path),
    ...resources.filter((r) => r.type === 'AWS::Lambda::Function' && sesRoles.includes(roleOf(r))).map((r) => r.path),
  ];
  expect(expected.length).toBeGreaterThanOrEqual(8);
  const via = model.flows.flatMap((f) => f.via.map((v) => v.replace(/^.* (?=\S+$)/, '')));
  expect([...new Set(via)].sort()).toEqual([...new Set(expected)].sort());
  expect(model.flows.map((f) => f.id).sort()).toEqual(['alarm-emails', 'p3-digest', 'pagerduty-change-events', 'pagerduty-events', 'report-notification', 'report-ses-email', 'slack']);
  for (const flow of model.flows) {
    expect(flow.fields.length).toBeGreaterThan(0);
    expect(flow.neverSent.length).toBeGreaterThan(0);
    expect(flow.recipients.length).toBeGreaterThan(0);
  }
});

test('every data store has its encryption and retention; every KMS-encrypted one names the client key', () => {
  const stores = resources.filter((r) => ['AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::S3::Bucket', 'AWS::SNS::Topic', 'AWS::SQS::Queue'].includes(r.type)).map((r) => r.path);
  expect(model.dataStores.filter((d) => !d.kind.includes('referenced') && !d.kind.includes('read only')).map((d) => d.path).sort()).toEqual(stores.sort());
  for (const store of model.dataStores.filter((d) => d.kind !== 'KMS key' && d.encryption.startsWith('customer-managed'))) {
    expect(store.encryption).toBe('customer-managed KMS key <example-ai-ops/AiOps/EncryptionKey>');
  }
  expect(model.dataStores.filter((d) => d.kind.startsWith('Secrets Manager')).map((d) => d.path)).toEqual(['secret cdk-ai-ops/example/pagerduty-p1', 'secret cdk-ai-ops/example/pagerduty-p2']);
});

test('the cdk-nag results of every pack applied (the defaults and the client\'s three compliance packs), no open finding, and every acknowledgement with its reason', () => {
  expect(model.nag.packs.map((p) => [p.pack, p.nonCompliant])).toEqual(
    ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321', 'Serverless'].map((pack) => [pack, 0]));
  for (const pack of model.nag.packs) expect(pack.compliant).toBeGreaterThan(0);
  expect(model.nag.findings.every((f) => f.compliance === 'Suppressed' && f.reason)).toBe(true);
  // Every acknowledgement recorded in the stack's metadata file appears.
  const metadata = JSON.parse(fs.readFileSync(path.join(result.assemblyDir, 'example-ai-ops.metadata.json'), 'utf8'));
  const recorded = Object.entries<any[]>(metadata).flatMap(([p, entries]) => entries.filter((e) => e.type === 'aws:cdk:acknowledged-rules')
    .flatMap((e) => Object.entries<string>(e.data).map(([id, reason]) => `${p.replace(/^\//, '')} ${id.replace(/^annotation::/, '')} ${reason}`)));
  expect(recorded.length).toBeGreaterThan(20);
  expect(model.nag.acknowledgements.map((a) => `${a.constructPath} ${a.ruleId} ${a.reason}`).sort()).toEqual(recorded.sort());
});

test('the monitoring cost is the synthesized cost report', () => {
  const report = JSON.parse(fs.readFileSync(path.join(result.assemblyDir, 'example.monitoring-cost.json'), 'utf8'));
  expect(model.monitoringCost).toEqual(report);
});

const describeInBrowser = chromiumInstalled() || IN_CI ? describe : describe.skip;

describeInBrowser('audit.html in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    if (!chromiumInstalled()) throw new Error(`CI is set and Chromium is missing at ${CHROMIUM_PATH}: .ci/run installs Debian's chromium package before the tests.`);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => browser?.close());

  test('renders with no error and no request beyond its own file, every section and table present and filled', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`file://${path.join(result.outDir, 'audit.html')}`, { waitUntil: 'load' });

    expect(errors).toEqual([]);
    expect(requests).toEqual([expect.stringMatching(/audit\.html$/)]);
    const shown = await page.evaluate(() => ({
      sections: [...document.querySelectorAll('h2[id]')].map((h) => h.id),
      tables: [...document.querySelectorAll('table')].map((t) => ({ rows: t.querySelectorAll('tbody tr').length, width: t.getBoundingClientRect().width })),
      resourceRows: document.querySelectorAll('#resources ~ table tbody tr').length,
      navLinks: [...document.querySelectorAll('nav a')].map((a) => a.getAttribute('href')),
    }));
    expect(shown.sections).toEqual(AUDIT_SECTIONS.map((s) => s.id));
    expect(shown.navLinks).toEqual(AUDIT_SECTIONS.map((s) => `#${s.id}`));
    expect(shown.tables.length).toBeGreaterThan(20);
    for (const table of shown.tables) {
      expect(table.rows).toBeGreaterThan(0);
      expect(table.width).toBeGreaterThan(300);
    }
    expect(shown.resourceRows).toBe(model.resources.length);
    await page.close();
  }, 60_000);
});
