/*
 * Governed rollouts' constructs. The runtime helper (./runtime, published as `cdk-ai-ops/rollout`)
 * and the regression brief (./compare) are not re-exported: they stay off the jsii surface.
 */
export * from './change-events-contract';
export * from './change-events';
export * from './model-rollout';
