export * from './types';
// ClientConfigError, the defaults (lib/config/defaults) and the AWS limits (lib/config/limits) stay out
// of the jsii surface (jsii cannot export Error subclasses);
// TypeScript callers import it from 'cdk-ai-ops/dist/config/loader'.
export { ClientConfigLoader } from './loader';
export type { ConfigProblem } from './loader';
export * from './cardinality';
