export * from './spend-guards';
export * from './end-of-life';
