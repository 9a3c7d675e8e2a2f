export * from './slo-alarms';
export * from './root-cause';
export * from './suppression';
export * from './runbooks';
