/*
 * `npm run bench:synth`: synthesis time of the example client and of a generated 40-agent client
 * (200 routes, 3 models), alternating in the same run, each with cdk-nag's packs applied as the
 * app applies them; and the monitoring-cost estimate of both beside what it would be if tenant
 * were a metric dimension. Writes its section of docs/benchmarks.md.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { BENCHMARKS_DOC, writeBenchSection } from './benchmarks-doc';
import { ClientCardinality, ClientConfig } from '../../lib/config';
import { AiOpsStack, MonitoringCostReport } from '../../lib/facade';
import { estimateMonitoringCost, MonitoringCostEstimate } from '../../lib/pricing';
import { TelemetryDimensionSets } from '../../lib/telemetry';
import { exampleConfig } from '../support/example';
import { generatedClient } from '../support/generated-client';

const ROUNDS = 3;
const TENANTS = 10_000;
const ROOT = path.join(__dirname, '..', '..');

function synthesize(config: ClientConfig): { ms: number; estimate: MonitoringCostEstimate } {
  const started = process.hrtime.bigint();
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-')) });
  const stack = new AiOpsStack(app, AiOpsStack.stackNameFor(config.clientId), { config });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  const originalError = console.error;
  console.error = () => undefined; // cdk-nag's report header
  try {
    app.synth();
  } finally {
    console.error = originalError;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, estimate: MonitoringCostReport.estimate(stack.aiOps, config) };
}

/** The same estimate if tenant were a dimension of the per-route call metrics, every tenant using every route. */
function withTenantDimension(estimate: MonitoringCostEstimate, config: ClientConfig): MonitoringCostEstimate {
  const routes = ClientCardinality.of(config).routes;
  const perRoute = TelemetryDimensionSets.CALLS_BY_ROUTE.metrics.length * routes;
  return estimateMonitoringCost({ ...estimate.inventory, customMetrics: estimate.inventory.customMetrics - perRoute + perRoute * TENANTS });
}

/** `name (A agents, R routes, M models)`, counted from the config. */
function labelled(name: string, config: ClientConfig): [string, ClientConfig] {
  const routes = config.agents.reduce((sum, agent) => sum + agent.routes.length, 0);
  return [`${name} (${config.agents.length} agents, ${routes} routes, ${config.models.length} models)`, config];
}

const clients: Array<[string, ClientConfig]> = [labelled('example', exampleConfig()), labelled('generated', generatedClient(40, 5))];
const times = new Map<string, number[]>(clients.map(([name]) => [name, []]));
const estimates = new Map<string, MonitoringCostEstimate>();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, config] of clients) {
    const { ms, estimate } = synthesize(config);
    times.get(name)!.push(ms);
    estimates.set(name, estimate);
    console.log(`${name}: ${ms.toFixed(0)} ms`);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const usd = (value: number) => `USD ${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const quantity = (estimate: MonitoringCostEstimate, item: string) => estimate.items.find((line) => line.item === item)?.quantity ?? 0;
const rows = clients.map(([name, config]) => {
  const estimate = estimates.get(name)!;
  const tenantEstimate = withTenantDimension(estimate, config);
  return `| ${name} | ${median(times.get(name)!).toFixed(0)} ms | ${quantity(estimate, 'custom metrics')} | ${quantity(estimate, 'standard-resolution alarm metrics')} `
    + `| ${quantity(estimate, 'dashboards')} | ${usd(estimate.totalMonthlyUsd)} | ${quantity(tenantEstimate, 'custom metrics').toLocaleString('en-US')} `
    + `| ${usd(tenantEstimate.totalMonthlyUsd)} |`;
});

const section = [
  '## Synthesis time and the price of watching (`bench:synth`)',
  '',
  `Command: \`npm run bench:synth\` (${ROUNDS} alternating syntheses per client in one process, cdk-nag AwsSolutions and Serverless packs applied;`,
  `median shown). Measured ${new Date().toISOString().slice(0, 10)} on Node.js ${process.versions.node}, ${os.cpus().length} cores, a shared machine.`,
  '',
  'Monitoring cost: the synthesized stack\'s alarms, composites, dashboards and Contributor Insights rules plus the contract\'s custom metrics and',
  'log ingestion at the config\'s call volume, at us-east-1 list prices. The last two columns price the same dashboards and alarms if tenant',
  `were a dimension of the per-route call metrics, at ${TENANTS.toLocaleString('en-US')} tenants each using every route: the reason tenant stays a log property.`,
  '',
  '| client | synthesis | custom metrics | alarm metrics | dashboards | monitoring cost a month | custom metrics with tenant as dimension | cost with tenant as dimension |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
];

writeBenchSection('synth', section);
console.log(`Wrote ${path.relative(ROOT, BENCHMARKS_DOC)}.`);
