export * from './router';
export * from './delivery-plan';
export * from './incident-router';
export * from './sla';
