import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
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

  test('validates props built in code with the same messages as YAML files', () => {
    const stack = new Stack(newApp(), 'S');
    const config = exampleConfig();
    expect(() => new AiOps(stack, 'AiOps', { ...config, budgets: { monthlyUsd: -1 } }))
      .toThrow('AiOps props at S/AiOps: invalid client config, 1 problem:\n  AiOps props at S/AiOps $.budgets.monthlyUsd: expected a number > 0, found number -1');
  });
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
