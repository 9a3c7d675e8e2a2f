export * from './spend-guards';
