export * from './alarm-metadata';
