import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppConfigData, AppConfigDataClient, GetLatestConfigurationCommand, GetLatestConfigurationCommandOutput, StartConfigurationSessionCommand } from '@aws-sdk/client-appconfigdata';
import { mockClient } from 'aws-sdk-client-mock';
import { BASELINE, CANDIDATE, flagDocument, TestClock } from './fixtures';
import { AppConfigDataFlagSource, ExtensionFlagSource, VariantRollout } from '../../lib/rollout/runtime';

/** A local stand-in for the AppConfig Agent extension on localhost:2772. */
class AgentStandIn {
  public paths: string[] = [];
  private server?: Server;
  public respond: (res: ServerResponse) => void = (res) => res.end(JSON.stringify(flagDocument(100)));

  public async start(): Promise<string> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      this.paths.push(req.url ?? '');
      this.respond(res);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

const quiet = { warn: () => undefined };

describe('reading flags through the AppConfig Agent endpoint (real HTTP)', () => {
  const agent = new AgentStandIn();
  let baseUrl: string;
  beforeEach(async () => {
    agent.paths = [];
    agent.respond = (res) => res.end(JSON.stringify(flagDocument(100)));
    baseUrl = await agent.start();
  });
  afterEach(() => agent.stop());

  test('without an environment, each route is read from its own <agent>.<route> environment (as ModelRollout deploys it)', async () => {
    const source = new ExtensionFlagSource({ application: 'cdk-ai-ops-acme', baseUrl });
    await source.fetch('support', 'triage');
    await source.fetch('support', 'draft-reply');
    expect(agent.paths).toEqual([
      '/applications/cdk-ai-ops-acme/environments/support.triage/configurations/support.triage',
      '/applications/cdk-ai-ops-acme/environments/support.draft-reply/configurations/support.draft-reply',
    ]);
  });

  test('reads the route profile once per poll interval and serves the flag', async () => {
    // GIVEN a rollout on the agent endpoint
    const clock = new TestClock();
    const source = new ExtensionFlagSource({ application: 'acme-ai', environment: 'prod', baseUrl });
    const rollout = new VariantRollout({ source, clock: clock.read, pollIntervalSeconds: 45, baselines: { 'support/triage': BASELINE }, ...quiet });

    // WHEN 50 requests arrive within one poll interval
    const choices = [];
    for (let i = 0; i < 50; i++) choices.push(await rollout.chooseVariant('support', 'triage', `t-${i}`));

    // THEN one read of the route's profile served them all from AppConfig's flag
    expect(agent.paths).toEqual(['/applications/acme-ai/environments/prod/configurations/support.triage']);
    expect(choices.every((c) => c?.variant.id === CANDIDATE.id && c.origin === 'appconfig')).toBe(true);

    // AND after the interval the next request rereads (in the background)
    clock.now += 45_000;
    await rollout.chooseVariant('support', 'triage', 't-0');
    await rollout.settled();
    expect(agent.paths).toHaveLength(2);
  });

  test('keeps serving the last known flag while the agent is unreachable', async () => {
    const clock = new TestClock();
    const warnings: string[] = [];
    const source = new ExtensionFlagSource({ application: 'acme-ai', environment: 'prod', baseUrl });
    const rollout = new VariantRollout({ source, clock: clock.read, baselines: { 'support/triage': BASELINE }, warn: (m) => warnings.push(m) });
    expect((await rollout.chooseVariant('support', 'triage', 'tenant-7'))?.variant).toEqual(CANDIDATE);

    // WHEN the agent goes away and the poll interval passes
    await agent.stop();
    clock.now += 60_000;
    const during = await rollout.chooseVariant('support', 'triage', 'tenant-7');
    await rollout.settled();
    const after = await rollout.chooseVariant('support', 'triage', 'tenant-7');

    // THEN the cached flag still serves, marked as such, and the failure is counted and warned once
    expect(during?.variant).toEqual(CANDIDATE);
    expect(after).toMatchObject({ variant: CANDIDATE, role: 'candidate', origin: 'cache' });
    expect(rollout.stats()).toMatchObject({ readFailures: 1, servedFromCache: 1 });
    expect(warnings.filter((w) => w.includes('failed'))).toHaveLength(1);
  });

  test('an error status or a body that is not JSON keeps the cached flag', async () => {
    const clock = new TestClock();
    const source = new ExtensionFlagSource({ application: 'acme-ai', environment: 'prod', baseUrl });
    const rollout = new VariantRollout({ source, clock: clock.read, ...quiet });
    await rollout.chooseVariant('support', 'triage', 'k');

    for (const respond of [(res: ServerResponse) => { res.statusCode = 503; res.end('busy'); }, (res: ServerResponse) => res.end('<html>')]) {
      agent.respond = respond;
      clock.now += 60_000;
      await rollout.chooseVariant('support', 'triage', 'k');
      await rollout.settled();
      expect(await rollout.chooseVariant('support', 'triage', 'k')).toMatchObject({ variant: CANDIDATE, origin: 'cache' });
    }
    expect(rollout.stats().readFailures).toBe(2);
  });

  test('the baseline serves before any flag: agent down, or slower than the first-read timeout', async () => {
    // GIVEN an agent that never answers
    agent.respond = () => undefined;
    const source = new ExtensionFlagSource({ application: 'acme-ai', environment: 'prod', baseUrl, timeoutMs: 5_000 });
    const rollout = new VariantRollout({ source, firstReadTimeoutMs: 100, baselines: { 'support/triage': BASELINE }, ...quiet });

    // WHEN the first request arrives
    const started = Date.now();
    const choice = await rollout.chooseVariant('support', 'triage', 'tenant-1');

    // THEN it waited no longer than the first-read timeout and got the local baseline
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(choice).toEqual({ variant: BASELINE, role: 'baseline', origin: 'local-baseline', shadow: undefined, telemetry: { variant: BASELINE.id } });
    // AND a route with neither flag nor baseline gets no choice rather than an exception
    expect(await rollout.chooseVariant('billing', 'invoice', 'tenant-1')).toBeUndefined();
  });

  test('nothing listening: the local baseline, and no exception', async () => {
    await agent.stop();
    const source = new ExtensionFlagSource({ application: 'acme-ai', environment: 'prod', baseUrl });
    const rollout = new VariantRollout({ source, baselines: { 'support/triage': BASELINE }, ...quiet });

    expect(await rollout.chooseVariant('support', 'triage', 'tenant-1')).toMatchObject({ variant: BASELINE, origin: 'local-baseline' });
  });
});

test('a read that never answers counts as failed, and later reads go on', async () => {
  // GIVEN a source whose first read hangs forever, then answers
  let reads = 0;
  const source = {
    fetch: (): Promise<{ document: unknown }> => (++reads === 1 ? new Promise(() => undefined) : Promise.resolve({ document: flagDocument(100) })),
  };
  const clock = new TestClock();
  const rollout = new VariantRollout({ source, clock: clock.read, readTimeoutMs: 50, firstReadTimeoutMs: 10, baselines: { 'support/triage': BASELINE }, ...quiet });

  // WHEN the first read hangs past its deadline and the poll interval passes
  expect(await rollout.chooseVariant('support', 'triage', 'k')).toMatchObject({ origin: 'local-baseline' });
  await rollout.settled();
  clock.now += 46_000;
  await rollout.chooseVariant('support', 'triage', 'k');
  await rollout.settled();

  // THEN the second read happened and its flag serves
  expect(rollout.stats()).toMatchObject({ reads: 2, readFailures: 1 });
  expect(await rollout.chooseVariant('support', 'triage', 'k')).toMatchObject({ variant: CANDIDATE, origin: 'appconfig' });
});

describe('reading flags with the appconfigdata API (aws-sdk-client-mock)', () => {
  const appconfig = mockClient(AppConfigDataClient);
  beforeEach(() => appconfig.reset());

  // The SDK's blob type is a Uint8Array with helpers the rollout does not use.
  type Blob = GetLatestConfigurationCommandOutput['Configuration'];
  const bytes = (document: unknown): Blob => new TextEncoder().encode(JSON.stringify(document)) as Blob;

  test('one session per route, each token used once, an empty configuration means unchanged', async () => {
    // GIVEN AppConfig with a 10% flag, then nothing new
    appconfig.on(StartConfigurationSessionCommand).resolves({ InitialConfigurationToken: 'token-0' });
    appconfig.on(GetLatestConfigurationCommand, { ConfigurationToken: 'token-0' })
      .resolves({ NextPollConfigurationToken: 'token-1', NextPollIntervalInSeconds: 60, Configuration: bytes(flagDocument(100)) });
    appconfig.on(GetLatestConfigurationCommand, { ConfigurationToken: 'token-1' })
      .resolves({ NextPollConfigurationToken: 'token-2', NextPollIntervalInSeconds: 60, Configuration: new Uint8Array() as Blob });
    const clock = new TestClock();
    const source = new AppConfigDataFlagSource({ client: new AppConfigData({ region: 'eu-west-1' }), application: 'acme-ai', environment: 'prod', pollIntervalSeconds: 30 });
    const rollout = new VariantRollout({ source, clock: clock.read, pollIntervalSeconds: 30, ...quiet });

    // WHEN the route is read, and read again after AppConfig's 60 s (not our 30 s)
    expect((await rollout.chooseVariant('support', 'triage', 'k'))?.variant).toEqual(CANDIDATE);
    clock.now += 31_000;
    await rollout.chooseVariant('support', 'triage', 'k');
    expect(appconfig.commandCalls(GetLatestConfigurationCommand)).toHaveLength(1);
    clock.now += 30_000;
    await rollout.chooseVariant('support', 'triage', 'k');
    await rollout.settled();

    // THEN one session was started with the poll interval, tokens were chained, the flag kept serving as fresh
    expect(appconfig.commandCalls(StartConfigurationSessionCommand).map((c) => c.args[0].input)).toEqual([{
      ApplicationIdentifier: 'acme-ai', EnvironmentIdentifier: 'prod', ConfigurationProfileIdentifier: 'support.triage', RequiredMinimumPollIntervalInSeconds: 30,
    }]);
    expect(appconfig.commandCalls(GetLatestConfigurationCommand).map((c) => c.args[0].input.ConfigurationToken)).toEqual(['token-0', 'token-1']);
    expect(await rollout.chooseVariant('support', 'triage', 'k')).toMatchObject({ variant: CANDIDATE, origin: 'appconfig' });
  });

  test('AppConfig unreachable: the cache serves, and the next read starts a new session', async () => {
    appconfig.on(StartConfigurationSessionCommand).resolves({ InitialConfigurationToken: 'token-0' });
    appconfig.on(GetLatestConfigurationCommand).resolvesOnce({ NextPollConfigurationToken: 'token-1', Configuration: bytes(flagDocument(100)) })
      .rejects(new Error('getaddrinfo ENOTFOUND appconfigdata.eu-west-1.amazonaws.com'));
    const clock = new TestClock();
    const source = new AppConfigDataFlagSource({ client: new AppConfigData({ region: 'eu-west-1' }), application: 'acme-ai', environment: 'prod' });
    const rollout = new VariantRollout({ source, clock: clock.read, ...quiet });
    await rollout.chooseVariant('support', 'triage', 'k');

    for (let i = 0; i < 3; i++) {
      clock.now += 46_000;
      await rollout.chooseVariant('support', 'triage', 'k');
      await rollout.settled();
      expect(await rollout.chooseVariant('support', 'triage', 'k')).toMatchObject({ variant: CANDIDATE, origin: 'cache' });
    }
    // The first failed read used the chained token; a failed token is never reused, so each later read opens a session.
    expect(appconfig.commandCalls(StartConfigurationSessionCommand)).toHaveLength(3);
    expect(appconfig.commandCalls(GetLatestConfigurationCommand).map((c) => c.args[0].input.ConfigurationToken)).toEqual(['token-0', 'token-1', 'token-0', 'token-0']);
    expect(rollout.stats().readFailures).toBe(3);
  });

  test('AppConfig unreachable from the start: the baseline', async () => {
    appconfig.on(StartConfigurationSessionCommand).rejects(new Error('connect ETIMEDOUT'));
    const source = new AppConfigDataFlagSource({ client: new AppConfigData({ region: 'eu-west-1' }), application: 'acme-ai', environment: 'prod' });
    const rollout = new VariantRollout({ source, baselines: { 'support/triage': BASELINE }, ...quiet });

    expect(await rollout.chooseVariant('support', 'triage', 'k')).toMatchObject({ variant: BASELINE, origin: 'local-baseline' });
    expect(rollout.stats()).toMatchObject({ readFailures: 1, servedLocalBaseline: 1 });
  });
});
