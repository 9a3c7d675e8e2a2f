import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AiOps, AiOpsStack, CLIENT_TAG } from '../../lib/facade';
import { PriceCatalog } from '../../lib/pricing';
import { TelemetryContract } from '../../lib/telemetry';
import { exampleConfig, exampleStack, newApp } from '../support/example';

describe('AiOps', () => {
  test('creates one customer-managed key with rotation, an alias per client, retained on delete', () => {
    // GIVEN / WHEN the example client's stack
    const template = Template.fromStack(exampleStack());
    // THEN
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      Properties: {
        EnableKeyRotation: true,
        Description: Match.stringLikeRegexp('^cdk-ai-ops example: '),
        Tags: [{ Key: CLIENT_TAG, Value: 'example' }],
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/cdk-ai-ops/example' });
  });

  test('uses a key the caller passes instead of creating one', () => {
    const stack = new Stack(newApp(), 'Shared');
    const key = kms.Key.fromKeyArn(stack, 'OrgKey', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const aiOps = new AiOps(stack, 'AiOps', { ...exampleConfig(), encryptionKey: key });
    expect(aiOps.encryptionKey).toBe(key);
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
  });

  test('exposes the resolved namespace, posture and the price catalog with the client overrides', () => {
    const stack = new Stack(newApp(), 'S');
    const { metricNamespace, ...config } = exampleConfig();
    const aiOps = new AiOps(stack, 'AiOps', config);
    expect(aiOps.metricNamespace).toBe(TelemetryContract.DEFAULT_NAMESPACE);
    expect(aiOps.posture).toBe('primary');
    const usage = { modelId: 'gpt-5-mini', timestamp: new Date('2026-03-01'), inputTokens: 1_000_000, outputTokens: 0 };
    expect(aiOps.priceCatalog.costOf(usage).costUsd).toBeCloseTo(0.25 * 0.85, 12);
    expect(PriceCatalog.builtIn().costOf(usage).costUsd).toBeCloseTo(0.25, 12);
  });

  test('reports every problem of props built in code as an error of the construct, and builds nothing', () => {
    const stack = new Stack(newApp(), 'S');
    const config = exampleConfig();
    const aiOps = new AiOps(stack, 'AiOps', { ...config, budgets: { monthlyUsd: -1 }, slaTier: 'gold' as any });
    const annotations = Annotations.fromStack(stack);
    annotations.hasError('/S/AiOps', '$.budgets.monthlyUsd: expected a number > 0, found number -1');
    annotations.hasError('/S/AiOps', Match.stringLikeRegexp('^\\$\\.slaTier: expected one of .*, found \'gold\'$'));
    expect(annotations.findError('*', Match.anyValue())).toHaveLength(2);
    expect(Template.fromStack(stack).toJSON().Resources ?? {}).toEqual({});
    expect(aiOps.alarms()).toEqual([]);
  });

  test('cdk synth of an app with invalid props lists each problem with the construct path and exits 1, without a stack trace', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiops-invalid-'));
    const facade = path.join(__dirname, '..', '..', 'lib', 'facade');
    fs.writeFileSync(path.join(dir, 'app.ts'), [
      `import { App, Stack } from ${JSON.stringify(path.dirname(require.resolve('aws-cdk-lib/package.json')))};`,
      `import { AiOps } from ${JSON.stringify(facade)};`,
      `const config = ${JSON.stringify({ ...exampleConfig(), budgets: { monthlyUsd: -1 } })};`,
      "new AiOps(new Stack(new App(), 'Client'), 'Ops', config as any);",
    ].join('\n'));
    const cdk = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'cdk');
    const tsx = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const run = spawnSync(cdk, ['synth', '--app', `${tsx} app.ts`, '--output', 'out', '--no-notices', '--no-version-reporting'], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' },
    });
    const output = run.stdout + run.stderr;
    expect(run.status).toBe(1);
    expect(output).toMatch(/ERROR \$\.budgets\.monthlyUsd: expected a number > 0, found number -1.*\n\s+Client\/Ops\n/);
    expect(output).not.toMatch(/^\s+at /m);
  }, 120_000);
});

describe('AiOpsStack', () => {
  test('is environment-agnostic when the config names no account or region', () => {
    const stack = exampleStack();
    expect(stack.stackName).toBe('example-ai-ops');
    expect(stack.templateOptions.description).toMatch(/Example Support Co\./);
    expect(stack.environment).toBe('aws://unknown-account/unknown-region');
  });

  test('deploys into the account and region of the config', () => {
    const stack = new AiOpsStack(newApp(), 'acme-ai-ops', { config: { ...exampleConfig(), clientId: 'acme', account: '111122223333', region: 'eu-west-1' } });
    expect(stack.account).toBe('111122223333');
    expect(stack.region).toBe('eu-west-1');
  });
});
