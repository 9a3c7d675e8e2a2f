/*
 * The regression brief behind `cdk-ai-ops compare`. Not re-exported by lib/index.ts: its zod
 * schema and error class stay off the jsii surface.
 */
export * from './parse';
export * from './stats';
export * from './brief';
