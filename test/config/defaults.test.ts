import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_MINIMUM_CALLS_PER_PERIOD } from '../../lib/alarms/slo-alarms';
import { ALARM_KINDS } from '../../lib/common/alarm-kinds';
import {
  ACCURACY_DEFAULTS, DEFAULT_EXPECTED_MONTHLY_CALLS, GOVERNANCE_DEFAULTS, PAGERDUTY_EVENTS_URL, REPORT_DEFAULTS, ROLLOUT_DEFAULTS, SLO_DEFAULTS,
} from '../../lib/config/defaults';
import { clientConfigJsonSchema } from '../../lib/config/json-schema';

/*
 * TSDoc cannot import a constant, so the `@default` of a config key is text. These tests hold each
 * such text equal to the one constant the code applies, and the schema's descriptions are built
 * from the same constants.
 */

const ROOT = path.join(__dirname, '..', '..');

/** Every `@default <value>` of a property, as `Interface.property` → the value's text. */
function documentedDefaults(file: string): Map<string, string> {
  const found = new Map<string, string>();
  let owner = '';
  let pending: string | undefined;
  for (const line of fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n')) {
    owner = /^export interface (\w+)/.exec(line)?.[1] ?? owner;
    const documented = /@default (.+?)\s*(\*\/)?$/.exec(line);
    if (documented) pending = documented[1];
    const property = /^\s+readonly (\w+)\??:/.exec(line);
    if (property) {
      if (pending !== undefined) found.set(`${owner}.${property[1]}`, pending);
      pending = undefined;
    }
  }
  return found;
}

/** The constant behind each config key whose documented default is a value rather than a sentence. */
const CONFIG_DEFAULTS: Record<string, unknown> = {
  'AccuracySlo.windowHours': ACCURACY_DEFAULTS.windowHours,
  'AccuracySlo.minScoredCalls': ACCURACY_DEFAULTS.minScoredCalls,
  'AccuracySlo.severity': `Severity.${ACCURACY_DEFAULTS.severity}`,
  'RouteSlo.throttleRatePercent': SLO_DEFAULTS.throttleRatePercent,
  'PagerDutyConfig.eventsApiUrl': PAGERDUTY_EVENTS_URL,
  'ReportConfig.dayOfMonth': REPORT_DEFAULTS.dayOfMonth,
  'ReportConfig.hour': REPORT_DEFAULTS.hour,
  'ReportConfig.timeZone': REPORT_DEFAULTS.timeZone,
  'ReportConfig.quarterlyReview': REPORT_DEFAULTS.quarterlyReview,
  'ReportConfig.retentionDays': REPORT_DEFAULTS.retentionDays,
  'GovernanceConfig.anomalyBandStdDevs': GOVERNANCE_DEFAULTS.anomalyBandStdDevs,
  'GovernanceConfig.anomalyDatapointsToAlarm': GOVERNANCE_DEFAULTS.anomalyDatapointsToAlarm,
  'GovernanceConfig.anomalyEvaluationHours': GOVERNANCE_DEFAULTS.anomalyEvaluationHours,
  'GovernanceConfig.spendRateMultiplier': GOVERNANCE_DEFAULTS.spendRateMultiplier,
  'GovernanceConfig.maxTenantSharePercent': GOVERNANCE_DEFAULTS.maxTenantSharePercent,
  'GovernanceConfig.costAnomalyMonitor': GOVERNANCE_DEFAULTS.costAnomalyMonitor,
  'GovernanceConfig.costAnomalyThresholdUsd': GOVERNANCE_DEFAULTS.costAnomalyThresholdUsd,
  'ClientConfig.expectedMonthlyCalls': DEFAULT_EXPECTED_MONTHLY_CALLS,
  'RolloutConfig.shadowPercent': ROLLOUT_DEFAULTS.shadowPercent,
  'RolloutConfig.nonInferiorityMarginPoints': ROLLOUT_DEFAULTS.nonInferiorityMarginPoints,
  'RolloutConfig.minCallsPerStage': ROLLOUT_DEFAULTS.minCallsPerStage,
};

/**
 * A documented default that is a value: a number, `true`, a word or a URL. Not a sentence
 * ("- …"), not `false` (an optional switch is off when absent), not an enum member (below).
 */
const isValue = (text: string) => !text.startsWith('- ') && text !== 'false' && !/^(Severity|OperatingPosture|TelemetryContract)\.\w+$/.test(text);

describe('defaults are defined once', () => {
  const documented = documentedDefaults('lib/config/types.ts');

  test.each(Object.entries(CONFIG_DEFAULTS))('%s documents the constant the code applies', (key, value) => {
    expect(documented.get(key)).toBe(String(value));
  });

  test('every config key documented with a value default has its constant here', () => {
    const values = [...documented].filter(([, text]) => isValue(text)).map(([key]) => key);
    expect(values.filter((key) => !(key in CONFIG_DEFAULTS))).toEqual([]);
    expect(values.length).toBeGreaterThan(10);
  });

  test('each severity override documents the severity the alarm registry gives its kinds', () => {
    const overrides = [...documented].filter(([key]) => key.startsWith('SeverityOverrides.'));
    expect(overrides.length).toBe(5);
    for (const [key, text] of overrides) {
      const override = key.split('.')[1];
      const kinds = Object.values(ALARM_KINDS).filter((kind) => kind.override === override);
      expect(kinds.length).toBeGreaterThan(0);
      for (const kind of kinds) expect(text).toBe(`Severity.${kind.severity}`);
    }
  });

  test('the JSON Schema states the same defaults, built from the constants', () => {
    const text = JSON.stringify(clientConfigJsonSchema());
    const values = [ACCURACY_DEFAULTS.windowHours, REPORT_DEFAULTS.retentionDays, PAGERDUTY_EVENTS_URL, GOVERNANCE_DEFAULTS.anomalyBandStdDevs];
    for (const value of values) {
      expect(text).toContain(`(default ${value}`);
    }
    expect(text).not.toContain('${');
  });

  test.each(['lib/facade/ai-ops.ts', 'lib/facade/agent-monitoring.ts', 'lib/alarms/slo-alarms.ts'])(
    '%s documents the minimum calls per period the latency alarms apply', (file) => {
      const texts = [...documentedDefaults(file)].filter(([key]) => key.endsWith('.minimumCallsPerPeriod')).map(([, value]) => value);
      expect(texts).toHaveLength(1);
      expect(texts[0]).toBe(String(DEFAULT_MINIMUM_CALLS_PER_PERIOD));
    });
});
