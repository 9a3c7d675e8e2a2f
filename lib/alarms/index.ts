export * from './description';
export * from './names';
export * from './slo-alarms';
export * from './production-down';
export * from './runbooks';
