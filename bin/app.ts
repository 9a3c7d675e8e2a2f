#!/usr/bin/env node
/*
 * The per-client CDK app: `cdk synth` builds clients/example.yaml, `cdk synth -c client=acme`
 * builds clients/acme.yaml. Every stack passes cdk-nag's AwsSolutions and Serverless packs or
 * synthesis fails. A bad config prints its problems and exits 1, without a stack trace.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ClientConfigError } from '../lib/config/loader';
import { AiOpsStack } from '../lib/facade';
import { loadClientFromContext } from '../lib/facade/client-selection';
import { MonitoringCostReport } from '../lib/facade/monitoring-cost-report';
import { MonitoringCostEstimate } from '../lib/pricing/monitoring-cost';

const app = new App();
let clientId: string;
try {
  const config = loadClientFromContext(app.node, path.join(__dirname, '..'));
  clientId = config.clientId;
  new AiOpsStack(app, AiOpsStack.stackNameFor(clientId), { config });
} catch (error) {
  if (error instanceof ClientConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
const assembly = app.synth();

// The price of watching, in one line (stderr: stdout is the template's).
const reportFile = path.join(assembly.directory, MonitoringCostReport.fileName(clientId));
const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as MonitoringCostEstimate;
const count = (item: string) => report.items.find((line) => line.item === item)?.quantity ?? 0;
console.error(`cdk-ai-ops ${clientId}: monitoring costs about USD ${report.totalMonthlyUsd.toFixed(2)} a month `
  + `(${count('custom metrics')} custom metrics, ${count('standard-resolution alarm metrics')} alarm metrics, `
  + `${count('anomaly-detection alarms')} anomaly detectors, `
  + `${count('composite alarms')} composite alarms, ${count('dashboards')} dashboards, `
  + `${count('Contributor Insights rules')} Contributor Insights rules, ${count('telemetry log ingestion (GB)')} GB of telemetry logs) `
  + `at us-east-1 list prices; details in ${path.relative(process.cwd(), reportFile)}`);
