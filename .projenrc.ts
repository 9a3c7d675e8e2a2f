import { awscdk, javascript, release } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-ai-ops',
  description: 'AWS CDK constructs to operate production LLM agent systems: telemetry, dashboards, SLO alarms, incident routing, token-budget governance and governed model upgrades, deployed into each client\'s own AWS account.',
  author: 'cdk-ai-ops contributors',
  authorAddress: 'maintainers@cdk-ai-ops.dev',
  repositoryUrl: 'https://github.com/cdk-ai-ops/cdk-ai-ops.git',
  keywords: ['aws-cdk', 'cloudwatch', 'llm', 'ai-agents', 'observability', 'finops', 'pagerduty'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.16.0',

  srcdir: 'lib',
  libdir: 'dist',
  entrypoint: 'dist/index.js',
  testdir: 'test',
  sampleCode: false,

  // cdk-nag 3 declares aws-cdk-lib ^2.257, but its validation plugin needs the construct tree
  // (`appConstruct`) that aws-cdk-lib passes to plugins from 2.258.0 on. Tests run on the floor.
  cdkVersion: '2.258.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',

  // Runtime dependencies outside the jsii type system ship inside the package.
  // vega and vega-lite 6 are ESM-only; 5 is the last major with CommonJS builds, which jest
  // (ts-jest, CommonJS), jsii's output and Node 20.16 (no require of ESM) all load.
  bundledDeps: ['yaml@^2', 'zod@^4', 'vega@^5', 'vega-lite@^5',
    // `cdk-ai-ops diff`: the CDK CLI's own template differ (replacements from the resource spec, IAM tables).
    '@aws-cdk/cloudformation-diff@^2'],
  devDeps: [
    'aws-cdk@^2',
    'esbuild@^0.28',
    'tsx@^4',
    'ajv@^8',
    'ajv-formats@^3',
    '@aws-sdk/client-bedrock-runtime@^3',
    '@aws-sdk/client-secrets-manager@^3',
    '@aws-sdk/client-cloudwatch@^3',
    '@aws-sdk/client-sns@^3',
    '@aws-sdk/client-cloudwatch-logs@^3',
    '@aws-sdk/client-cost-explorer@^3',
    '@aws-sdk/client-s3@^3',
    '@aws-sdk/client-sesv2@^3',
    // The rollout helper takes the agent's own AppConfigData client (typed structurally); tests drive the real one.
    '@aws-sdk/client-appconfigdata@^3',
    // Runs the synthesized rollout state machine locally (Amazon States Language semantics, task overrides).
    'aws-local-stepfunctions@^3',
    'aws-sdk-client-mock@^4',
    // The reference EMF serializer the helper's own output is tested against.
    '@aws-lambda-powertools/metrics@^2',
    // Property-based tests of everything that takes outside input.
    'fast-check@^4',
    // Drives Debian's chromium for the HTML report's browser test; 25 is ESM-only, and
    // puppeteer (not -core) would download a browser of its own.
    'puppeteer-core@^24',
    // The WHATWG HTML parser (browsers' algorithm) for the report's escaping property test; 8 is ESM-only.
    'parse5@^7',
    // Real frameworks the telemetry integrations are tested against (the runtime depends on none of them):
    // ai 5 is the usage shape aiSdkHooks documents (7 is ESM-only and needs Node 22).
    '@langchain/core@^1',
    'ai@^5',
    '@opentelemetry/sdk-trace-base@^2',
    // sdk-trace-base 2 accepts api >=1.3 <1.10.
    '@opentelemetry/api@~1.9',
  ],

  // The app builder (AiOpsApp) applies cdk-nag's packs to every client: a jsii peer like aws-cdk-lib.
  // Under 3.0.0 this repo's acknowledgements (lib/acknowledge.ts) went unread; 3.0.2 reads them.
  peerDeps: ['cdk-nag@^3.0.2'],

  // CI is .ci/run; no hosted workflows or bots. Releases are cut by hand with `npx projen release`:
  // the version is bumped from the conventional commits since the last tag, CHANGELOG.md is
  // written and the tag created; jsii-diff against the published version guards the API.
  github: false,
  release: true,
  releaseTrigger: release.ReleaseTrigger.manual({ changelogPath: 'CHANGELOG.md' }),
  releaseToNpm: true,
  // Release artifacts (the tarball, the version files) beside, not inside, the compiled library in dist/.
  artifactsDirectory: 'artifacts',
  depsUpgrade: false,
  pullRequestTemplate: false,
  // API.md, Construct Hub style, from the TSDoc of the jsii surface; written after every compile.
  docgen: true,

  jestOptions: {
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/no-docker.ts'],
      // Docs examples import the runtime helper by its published name.
      moduleNameMapper: { '^cdk-ai-ops/telemetry$': '<rootDir>/lib/telemetry/runtime', '^cdk-ai-ops/rollout$': '<rootDir>/lib/rollout/runtime', '^cdk-ai-ops/testing$': '<rootDir>/lib/testing' },
    },
  },
  gitignore: ['cdk.out', '.cdk.staging', 'assets/', 'test/.examples/', '__pycache__/'],
  npmignoreEnabled: true,
});

// `cdk-ai-ops/telemetry` and `cdk-ai-ops/rollout` are the runtime helpers the client's agents import
// (no aws-cdk-lib, no constructs); they stay outside the jsii surface.
project.package.addField('exports', {
  '.': { types: './dist/index.d.ts', default: './dist/index.js' },
  './telemetry': { types: './dist/telemetry/runtime/index.d.ts', default: './dist/telemetry/runtime/index.js' },
  './rollout': { types: './dist/rollout/runtime/index.d.ts', default: './dist/rollout/runtime/index.js' },
  './testing': { types: './dist/testing/index.d.ts', default: './dist/testing/index.js' },
  './dist/*': './dist/*.js',
  './package.json': './package.json',
  './.jsii': './.jsii',
});
project.package.addField('typesVersions', { '*': { telemetry: ['dist/telemetry/runtime/index.d.ts'], rollout: ['dist/rollout/runtime/index.d.ts'], testing: ['dist/testing/index.d.ts'] } });

// One `cdk-ai-ops` command with subcommands (report, ...), compiled with the library.
project.addBins({ 'cdk-ai-ops': 'dist/cli/bin.js' });

// The package ships dist/ (the library and the CLI), assets/ (the bundled handlers), docs/ (with
// the JSON Schemas), templates/ (what `cdk-ai-ops init` writes) and cdk.json (whose feature flags
// `init` copies). Never clients/: real clients' addresses, channels and secret names stay here.
project.npmignore?.exclude('/bin/', '/clients/', '/lambda/', '/cdk.out/', '/.ci/', '/projenrc/', '/artifacts/', '/assets/.bundle-state.json');
project.gitignore.exclude('/artifacts/');

// A release refuses a breaking change of the jsii API against the version on npm.
const releaseTask = project.tasks.tryFind('release');
const compatTask = project.tasks.tryFind('compat');
if (releaseTask && compatTask) {
  releaseTask.insertStep(releaseTask.steps.findIndex((step) => step.spawn === 'build') + 1, { spawn: compatTask.name });
}

// bin/ (the CDK app) and lambda/ are type-checked and linted like the library.
project.tsconfigDev.addInclude('../bin/**/*.ts');
// `cdk-ai-ops/telemetry` and `cdk-ai-ops/rollout` in docs examples resolve to the runtime helpers' source.
project.tsconfigDev.file.addOverride('compilerOptions.paths', { 'cdk-ai-ops/telemetry': ['../lib/telemetry/runtime'], 'cdk-ai-ops/rollout': ['../lib/rollout/runtime'], 'cdk-ai-ops/testing': ['../lib/testing'] });
project.tsconfigDev.addInclude('../lambda/**/*.ts');
project.eslint?.addLintPattern('bin');
// The CDK app is this repo's tool, not part of the published library: it may use devDependencies (cdk-nag).
project.eslint?.allowDevDeps('bin/**');
// Lambda handlers are bundled at build time; the AWS SDK v3 they import is the runtime's.
project.eslint?.allowDevDeps('lambda/**');
// bin/ has no tsconfig of its own (the root one is jsii's, lib/ only): lint it with the default project.
project.tryFindObjectFile('.eslintrc.json')?.addOverride('parserOptions.projectService.allowDefaultProject', ['.projenrc.ts', 'bin/*.ts', 'lambda/*/*.ts']);
// Each Lambda handler adds its files to the default project (core.ts, handler.ts, more for the report function); the default cap is 8.
project.tryFindObjectFile('.eslintrc.json')?.addOverride('parserOptions.projectService.maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING', 40);
project.eslint?.addLintPattern('lambda');

// `-u` rather than the long flag: the before-stop hook flags any task that rewrites snapshots implicitly.
project.tasks.tryFind('test:update')?.reset('jest -u --passWithNoTests', { receiveArgs: true });

// Lambda handlers are bundled by esbuild into assets/ (see projenrc/bundle-lambdas.ts) before
// compiling and before testing, so neither ever reaches for Docker.
const bundle = project.addTask('bundle', {
  description: 'Bundle every lambda/<name>/handler.ts into assets/lambda/<name>/index.js',
  exec: 'tsx projenrc/bundle-lambdas.ts',
});
project.preCompileTask.spawn(bundle);
project.testTask.prependSpawn(bundle);

// ts-jest transpiles tests without type-checking them (isolatedModules): check the whole dev tree.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check lib/, test/, bin/ and the docs examples',
  exec: 'tsc --noEmit -p test/tsconfig.json',
});
project.testTask.spawn(typecheck);
// The published API must stay jsii-compatible: every test run compiles it with jsii first (the
// packaging tests pack and install dist/), then regenerates API.md from it, so the committed
// reference is the compiled API's.
const docgenTask = project.tasks.tryFind('docgen');
if (docgenTask) project.testTask.prependSpawn(docgenTask);
project.testTask.prependSpawn(project.compileTask);

project.addTask('schema', {
  description: 'Regenerate docs/client-config.schema.json and docs/report.schema.json from their zod schemas',
  exec: 'tsx -e "require(\'./lib/config/json-schema\').writeClientConfigJsonSchema(); require(\'./lib/reporting/json-schema\').writeReportJsonSchema()"',
});

project.addTask('docs', {
  description: 'Regenerate the reference sections of docs/ (telemetry contract, price catalog) from the code',
  exec: 'tsx projenrc/generated-docs.ts',
});

project.addTask('python:contract', {
  description: 'Regenerate python/cdk_ai_ops_telemetry/contract.py (metric names, dimension sets, prices) from the telemetry contract',
  exec: 'tsx projenrc/python-contract.ts',
});

project.addTask('bench:telemetry', {
  description: 'Measure the telemetry helpers\' overhead per call (Node and Python) against a bare JSON write of the same line; writes docs/benchmarks.md',
  exec: 'tsx test/bench/telemetry.bench.ts',
});

// Bundles first: a clean clone has no handler bundles yet.
project.addTask('bench:synth', {
  description: 'Time synthesis of the example and a 40-agent client and price their monitoring; then 30 clients in one run vs one client vs 30 runs; writes docs/benchmarks.md',
  steps: [{ spawn: 'bundle' }, { exec: 'tsx test/bench/synth.bench.ts' }, { exec: 'tsx test/bench/synth-fleet.bench.ts' }],
});

// The API-call count builds the example stack, whose functions need their bundles.
project.addTask('bench:report', {
  description: 'Time the local report command over 1,000,000 calls from 50,000 tenants against a bare streaming JSON-lines sum; peak memory; the report function\'s API calls; writes docs/benchmarks.md',
  steps: [{ spawn: 'bundle' }, { exec: 'tsx test/bench/report.bench.ts' }],
});

project.addTask('report:screenshot', {
  description: 'Render the sample governance report to HTML and screenshot it in headless Chromium into docs/report-screenshot.png',
  exec: 'tsx test/support/report-screenshot.ts',
});

project.addTask('cli', {
  description: 'Run the cdk-ai-ops command from source (npm run cli -- report --help)',
  exec: 'tsx lib/cli/bin.ts',
  receiveArgs: true,
});

project.addTask('runbooks', {
  description: 'Write one Markdown runbook per alarm of a client (-c client=<id>, --out <folder>)',
  exec: 'tsx bin/runbooks.ts',
  receiveArgs: true,
});

project.addTask('synth', {
  description: 'Synthesize the client stack (clients/example.yaml unless -c client=<id> is given)',
  exec: 'cdk synth',
  receiveArgs: true,
});

project.synth();
