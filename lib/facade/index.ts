export * from './ai-ops';
export * from './ai-ops-stack';
