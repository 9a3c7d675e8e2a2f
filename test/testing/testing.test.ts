/*
 * `cdk-ai-ops/testing`, imported by its published name as a platform repository does.
 */
import * as fc from 'fast-check';
import { EXAMPLE_CONFIG_FILE } from '../support/example';
import { alarmNamesByKindAndSeverity, alarmsOf, normalizeTemplate, stableTemplates, synthesizeClient } from 'cdk-ai-ops/testing';

describe('synthesizeClient', () => {
  // GIVEN the example client, from its YAML file
  const client = synthesizeClient(EXAMPLE_CONFIG_FILE);

  test('builds the stack AiOpsApp builds, with the root and one nested template per agent', () => {
    expect(client.stack.stackName).toBe('example-ai-ops');
    expect(Object.keys(client.templates).sort()).toEqual([
      'example-ai-ops', 'example-ai-ops/AiOps/Agent-answer', 'example-ai-ops/AiOps/Agent-qa-review',
      'example-ai-ops/AiOps/Agent-retrieval', 'example-ai-ops/AiOps/Agent-triage',
    ]);
    client.template.resourceCountIs('AWS::CloudFormation::Stack', 4);
  });

  test('alarmsOf: every alarm of every (nested) stack, with its kind and severity', () => {
    const alarms = alarmsOf(client.stack);
    const p95 = alarms.find((a) => a.alarmName === 'example-answer-draft-reply-latency-p95')!;
    expect(p95).toMatchObject({ kind: 'latency-p95', severity: 'P2', type: 'AWS::CloudWatch::Alarm', stackPath: 'example-ai-ops/AiOps/Agent-answer' });
    expect(p95.properties.Threshold).toBe(8000);
    // the config raises draft-reply's p99 to P1
    expect(alarms.find((a) => a.alarmName === 'example-answer-draft-reply-latency-p99')).toMatchObject({ kind: 'latency-p99', severity: 'P1' });
    expect(alarms.every((a) => ['P1', 'P2', 'P3'].includes(a.severity) && a.kind !== 'unknown')).toBe(true);
    expect(alarms.some((a) => a.type === 'AWS::CloudWatch::CompositeAlarm')).toBe(true);
    expect(alarms.map((a) => a.alarmName)).toEqual([...alarms.map((a) => a.alarmName)].sort((a, b) => a.localeCompare(b)));
  });

  test('alarmNamesByKindAndSeverity groups the same alarms', () => {
    const grouped = alarmNamesByKindAndSeverity(client.stack);
    expect(grouped['latency-p95'].P2).toContain('example-answer-draft-reply-latency-p95');
    const names = Object.values(grouped).flatMap((bySeverity) => Object.values(bySeverity).flat());
    expect(names.sort()).toEqual(alarmsOf(client.stack).map((a) => a.alarmName).sort());
  });

  test('stableTemplates: two syntheses of the same config are equal, asset hashes and runtime maps replaced', () => {
    const again = synthesizeClient(EXAMPLE_CONFIG_FILE);
    const first = stableTemplates(client.stack);
    expect(stableTemplates(again.stack)).toEqual(first);
    expect(JSON.stringify(first)).not.toMatch(/[a-f0-9]{64}/);
    expect(JSON.stringify(first)).toContain('<asset-hash>');
  });

  test('a missing config file throws, naming the file', () => {
    expect(() => synthesizeClient('/nonexistent/acme.yaml')).toThrow(/acme\.yaml/);
  });
});

describe('normalizeTemplate', () => {
  test('replaces every 64-hex-digit run and nothing else', () => {
    const hex64 = fc.stringMatching(/^[a-f0-9]{64}$/);
    const text = fc.string().filter((s) => !/[a-f0-9]{64}/.test(s) && !/[a-f0-9]$/.test(s) && !/^[a-f0-9]/.test(s));
    fc.assert(fc.property(text, hex64, text, (before, hash, after) => {
      const template = { Resources: { F: { Properties: { Key: `${before}${hash}${after}` } } } };
      expect(normalizeTemplate(template).Resources.F.Properties.Key).toBe(`${before}<asset-hash>${after}`);
    }));
  });

  test("replaces aws-cdk-lib's per-region maps and keeps the config's own mappings", () => {
    const template = { Mappings: { LatestNodeRuntimeMap: { 'us-east-1': { value: 'nodejs24.x' } }, AWSCDKPartitionMap7A4B: {}, ClientTiers: { a: { b: 'c' } } } };
    expect(normalizeTemplate(template).Mappings).toEqual({ LatestNodeRuntimeMap: '<runtime map>', AWSCDKPartitionMap7A4B: '<runtime map>', ClientTiers: { a: { b: 'c' } } });
  });
});
