export * from './types';
// ClientConfigError stays out of the jsii surface (jsii cannot export Error subclasses);
// TypeScript callers import it from 'cdk-ai-ops/dist/config/loader'. So do the defaults
// (./defaults) and the AWS limits (./limits), which are constants and functions.
export { ClientConfigLoader } from './loader';
export type { ConfigProblem, LoadOptions } from './loader';
export * from './cardinality';
