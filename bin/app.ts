#!/usr/bin/env node
/*
 * This repository's CDK app: `cdk synth` builds clients/example.yaml, `-c client=acme` builds
 * clients/acme.yaml, `-c client=all` every client (see AiOpsApp). The handlers are bundled first,
 * in this process, and only when their sources changed; an installed package ships them bundled.
 */
import '../projenrc/bundle-lambdas';
import * as path from 'path';
import { AiOpsApp } from '../lib';

AiOpsApp.run({ projectRoot: path.join(__dirname, '..') });
