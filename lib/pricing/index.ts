export * from './types';
export * from './price-catalog';
export * from './monitoring-cost';
export * from './end-of-life';
