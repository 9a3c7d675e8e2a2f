export * from './clients-pipeline';
