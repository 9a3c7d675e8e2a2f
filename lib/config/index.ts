export * from './types';
// ClientConfigError stays out of the jsii surface (jsii cannot export Error subclasses);
// TypeScript callers import it from 'cdk-ai-ops/dist/config/loader'.
export { ClientConfigLoader } from './loader';
export type { ConfigProblem } from './loader';
export * from './cardinality';
export { GOVERNANCE_DEFAULTS, awsBilledMonthlyUsd } from './defaults';
