export * from './telemetry';
export * from './pricing';
export * from './config';
export * from './facade';
