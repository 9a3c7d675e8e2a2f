export * from './types';
export * from './price-catalog';
export * from './monitoring-cost';
