import { BASELINE, CANDIDATE, flagDocument, SettableFlagSource } from './fixtures';
// The published name, mapped to lib/rollout/runtime by jest's moduleNameMapper and test/tsconfig.json's paths.
// eslint-disable-next-line import/no-unresolved, import/order
import { chooseVariant, configureRollout } from 'cdk-ai-ops/rollout';

describe('the module-level helper, imported by its published name', () => {
  test('before configuration, with no AppConfig in the environment: no choice, no exception', async () => {
    // GIVEN no CDK_AI_OPS_APPCONFIG_* variables
    delete process.env.CDK_AI_OPS_APPCONFIG_APPLICATION;
    delete process.env.CDK_AI_OPS_APPCONFIG_ENVIRONMENT;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);

    // THEN a route is answered with undefined and the missing source is warned about
    await expect(chooseVariant('support', 'triage', 'tenant-1')).resolves.toBeUndefined();
    expect(warn.mock.calls.map((call) => String(call[0])).join('\n')).toMatch(/no flag source/);
    warn.mockRestore();
  });

  test('configureRollout sets the rollout chooseVariant uses', async () => {
    const source = new SettableFlagSource();
    const rollout = configureRollout({ source, baselines: { 'support/triage': BASELINE }, warn: () => undefined });
    source.failure = new Error('unreachable');

    expect(await chooseVariant('support', 'triage', 'tenant-1')).toMatchObject({ variant: BASELINE, origin: 'local-baseline' });

    source.failure = undefined;
    source.document = flagDocument(100);
    configureRollout({ source, baselines: { 'support/triage': BASELINE }, warn: () => undefined });
    expect(await chooseVariant('support', 'triage', 'tenant-1')).toMatchObject({ variant: CANDIDATE, telemetry: { variant: CANDIDATE.id } });
    expect(rollout.stats().readFailures).toBe(1);
  });
});
