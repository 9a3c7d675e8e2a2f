// The constructs of the governance report. The report's pure core, renderers and zod schema stay
// off the jsii surface: import them from their modules (`cdk-ai-ops/dist/reporting/core`).
export * from './governance-report';
