export * from './types';
export * from './price-catalog';
