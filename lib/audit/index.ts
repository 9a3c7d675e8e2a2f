// The audit pack: a client's synthesized templates read for an auditor. Off the jsii surface (not
// re-exported by lib/index.ts); the `cdk-ai-ops audit` command is its user.
export * from './model';
export * from './build';
export * from './render';
export { readablePath, TemplateReader } from './references';
