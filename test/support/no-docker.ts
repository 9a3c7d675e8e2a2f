// Tests never run Docker: any asset bundling that reaches for it fails at once, naming the cause.
// (aws-cdk-lib runs the command named by CDK_DOCKER.)
process.env.CDK_DOCKER = 'docker-is-forbidden-in-tests-bundle-with-esbuild-instead';
