export * from './ai-ops';
export * from './ai-ops-stack';
export * from './agent-monitoring';
export * from './monitoring-cost-report';
export * from './ai-ops-client-stage';
export * from './ai-ops-app';
