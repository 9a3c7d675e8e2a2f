export * from './telemetry';
export * from './pricing';
export * from './config';
export * from './routing';
export * from './alarms';
export * from './dashboards';
export * from './facade';
export * from './acknowledge';
