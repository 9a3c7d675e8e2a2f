export * from './contract';
export * from './records';
