export * from './settings';
export * from './evaluator-series';
export * from './judge-env';
export * from './llm-judge';
