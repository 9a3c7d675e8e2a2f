export * from './contract';
export * from './records';
export * from './metric-factory';
