export * from './ai-ops';
export * from './ai-ops-stack';
export * from './agent-monitoring';
export * from './monitoring-cost-report';
