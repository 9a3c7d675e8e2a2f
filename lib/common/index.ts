export * from './alarm-metadata';
export * from './alarm-kinds';
export * from './alarm-router';
export * from './alarm-factory';
export * from './description';
export * from './names';
export * from './sla';
