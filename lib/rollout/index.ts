/*
 * Governed model rollouts: the constructs. The runtime helper (./runtime, published as
 * `cdk-ai-ops/rollout`) and the regression brief (./compare) are not re-exported here: they stay
 * off the jsii surface.
 */
export * from './model-rollout';
