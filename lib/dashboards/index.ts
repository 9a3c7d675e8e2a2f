export * from './limits';
export * from './widgets';
export * from './top-tenants';
export * from './agent-dashboard';
export * from './overview-dashboard';
export * from './read-only-access';
