#!/usr/bin/env node
/*
 * The per-client CDK app: `cdk synth` builds clients/example.yaml, `cdk synth -c client=acme`
 * builds clients/acme.yaml. Every stack passes cdk-nag's AwsSolutions and Serverless packs or
 * synthesis fails. A bad config prints its problems and exits 1, without a stack trace.
 */
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ClientConfigError } from '../lib/config/loader';
import { AiOpsStack } from '../lib/facade';
import { loadClientFromContext } from '../lib/facade/client-selection';

const app = new App();
try {
  const config = loadClientFromContext(app.node, path.join(__dirname, '..'));
  new AiOpsStack(app, AiOpsStack.stackNameFor(config.clientId), { config });
} catch (error) {
  if (error instanceof ClientConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
app.synth();
