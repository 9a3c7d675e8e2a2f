/*
 * The runtime rollout helper, imported by the client's agents as `cdk-ai-ops/rollout`: which variant serves
 * each request, and shadow evaluation of the candidate. It loads neither aws-cdk-lib nor constructs, and
 * stays outside the jsii surface.
 */
export * from './types';
export * from './flag';
export * from './sources';
export * from './rollout';
export * from './shadow';
