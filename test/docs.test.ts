import * as fs from 'fs';
import * as path from 'path';
import { awsBudgetCoverage } from '../lib/config/defaults';
import { MonitoringCostReport } from '../lib/facade';
import { PriceCatalog } from '../lib/pricing';
import { TelemetryContract } from '../lib/telemetry';
import { GENERATED_DOCS, renderedDoc } from '../projenrc/generated-docs';
import { exampleConfig, exampleStack, PROJECT_ROOT } from './support/example';

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

test.each(Object.keys(GENERATED_DOCS))('the generated section of %s is current (regenerate with `npx projen docs`)', (file) => {
  const doc = read(file);
  expect(doc).toBe(renderedDoc(file, doc));
});

describe('docs/telemetry.md', () => {
  const doc = read('docs/telemetry.md');

  test('states the example client\'s custom-metric count as the contract computes it', () => {
    const config = exampleConfig();
    const models = new Set(config.models.map((m) => PriceCatalog.canonicalModelId(m.modelId)));
    const shape = {
      agents: config.agents.length,
      routes: config.agents.reduce((sum, agent) => sum + agent.routes.length, 0),
      models: models.size,
      agentModelPairs: config.agents.reduce((sum, agent) => sum + (agent.models?.length ?? models.size), 0),
    };
    expect(shape).toEqual({ agents: 4, routes: 8, models: 4, agentModelPairs: 7 });
    const count = TelemetryContract.customMetricCount(shape);
    expect(doc).toContain(`11·(8 + 7 + 4 + 4 + 1) = **${count} custom metrics**`);
    expect(doc).toContain(`about USD ${(count * 0.3).toFixed(2)} a month`);
  });
});

test('the README states the example client\'s monitoring cost as the stack computes it', () => {
  const estimate = MonitoringCostReport.estimate(exampleStack().aiOps, exampleConfig());
  expect(read('README.md')).toContain(`cdk-ai-ops example: monitoring costs about USD ${estimate.totalMonthlyUsd.toFixed(2)} a month`);
});

test('the README and docs/governance.md state what the example\'s AWS budget covers, as the synth output does', () => {
  const coverage = awsBudgetCoverage(exampleConfig());
  expect(read('README.md')).toContain(coverage);
  expect(read('docs/governance.md').replace(/\s*\n\s*/g, ' ')).toContain(coverage);
});
