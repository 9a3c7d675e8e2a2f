#!/usr/bin/env node
/*
 * The clients of this platform repository: `npx cdk synth -c client=<id>` builds clients/<id>.yaml,
 * `-c client=all` every client, each under cdk-nag's AwsSolutions and Serverless packs.
 */
import { AiOpsApp } from 'cdk-ai-ops';

AiOpsApp.run();
