/*
 * The runtime telemetry helper, imported by the client's agents as `cdk-ai-ops/telemetry`.
 * It loads neither aws-cdk-lib nor constructs, and stays outside the jsii surface.
 */
export { CallOutcome, EvaluationSource } from '../contract';
export * from './types';
export * from './adapters';
export { UNKNOWN_DIMENSION_VALUE } from './lines';
export type { EmfLine, Rejection } from './lines';
export * from './telemetry';
export { serializeEmf } from './emf';
export * from './assertions';
export { pricingModelId, providerOfModel } from './model-ids';
export { observeStream } from './streams';
export * from './integrations';
