export * from './settings';
export * from './evaluator-series';
