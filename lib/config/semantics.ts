import { GOVERNANCE_DEFAULTS, ROLLOUT_DEFAULTS } from './defaults';
import { awsLimitProblems } from './limits';
import { AgentConfig, ClientConfig, OperatingPosture, RouteConfig } from './types';
import { ModelProvider, PriceCatalog } from '../pricing/price-catalog';

/** A config problem before it is placed in a file: where, what was expected, what was found. */
export interface Problem {
  readonly path: ReadonlyArray<PropertyKey>;
  readonly expected: string;
  readonly found: string;
}

// A PagerDuty integration key is 32 characters of [a-z0-9]; a secret *name* that looks like one
// means the key itself was pasted into the config.
const LOOKS_LIKE_INTEGRATION_KEY = /^[a-z0-9]{32}$/i;

function duplicates(values: string[]): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) repeated.add(value);
    seen.add(value);
  }
  return repeated;
}

/**
 * Rules that span fields: unique ids, ordered percentiles, references between agents, models and
 * budgets, models known to the price catalog, an alert path for P1, keys that would do nothing,
 * lengths that reach AWS limits. Runs on the top-level sections that are structurally valid (a
 * section that is missing was refused by the schema, and the rules that need it are skipped), so
 * one run reports the schema's problems and these together.
 */
export function semanticProblems(config: Partial<ClientConfig>, catalog: PriceCatalog, now: Date = new Date()): Problem[] {
  const problems: Problem[] = [];
  const agents = config.agents ?? [];
  const agentIds = agents.map((a) => a.id);
  const repeatedAgents = duplicates(agentIds);

  agents.forEach((agent, a) => {
    if (repeatedAgents.has(agent.id) && agentIds.indexOf(agent.id) !== a) {
      problems.push({ path: ['agents', a, 'id'], expected: 'an agent id used once in the file', found: `'${agent.id}' again` });
    }
    const routeIds = agent.routes.map((r) => r.id);
    const repeatedRoutes = duplicates(routeIds);
    agent.routes.forEach((route, r) => {
      if (repeatedRoutes.has(route.id) && routeIds.indexOf(route.id) !== r) {
        problems.push({ path: ['agents', a, 'routes', r, 'id'], expected: `a route id used once in agent '${agent.id}'`, found: `'${route.id}' again` });
      }
      const accuracy = route.slo.accuracy;
      if (accuracy) {
        const evaluatorIds = accuracy.evaluators.map((e) => e.id);
        const repeatedEvaluators = duplicates(evaluatorIds);
        accuracy.evaluators.forEach((evaluator, e) => {
          const path = ['agents', a, 'routes', r, 'slo', 'accuracy', 'evaluators', e];
          if (repeatedEvaluators.has(evaluator.id) && evaluatorIds.indexOf(evaluator.id) !== e) {
            problems.push({ path: [...path, 'id'], expected: `an evaluator id used once in route '${route.id}'`, found: `'${evaluator.id}' again` });
          }
          if (accuracy.agentCore && evaluator.minPassRatePercent !== undefined) {
            problems.push({
              path: [...path, 'minPassRatePercent'],
              expected: 'minMeanScore only (AgentCore Evaluations publishes scores, not pass/fail verdicts)',
              found: `minPassRatePercent ${evaluator.minPassRatePercent}`,
            });
          }
        });
      }
      const { p50Ms, p95Ms, p99Ms } = route.slo.latency;
      if (!(p50Ms <= p95Ms && p95Ms <= p99Ms)) {
        problems.push({
          path: ['agents', a, 'routes', r, 'slo', 'latency'],
          expected: 'p50Ms <= p95Ms <= p99Ms',
          found: `p50Ms ${p50Ms}, p95Ms ${p95Ms}, p99Ms ${p99Ms}`,
        });
      }
    });
  });

  agents.forEach((agent, a) => agent.routes.forEach((route, r) => {
    if (route.rollout) problems.push(...rolloutProblems(config, agent, route, ['agents', a, 'routes', r, 'rollout'], now));
  }));

  agents.forEach((agent, a) => {
    if (agent.sessionLimits && !agent.recordsSessions) {
      problems.push({ path: ['agents', a, 'sessionLimits'], expected: 'recordsSessions: true (session limits read the agent\'s session records)', found: 'an agent that records no sessions' });
    }
  });
  const g = config.governance;
  const evaluationHours = g?.anomalyEvaluationHours ?? GOVERNANCE_DEFAULTS.anomalyEvaluationHours;
  if (g?.anomalyDatapointsToAlarm !== undefined && g.anomalyDatapointsToAlarm > evaluationHours) {
    problems.push({ path: ['governance', 'anomalyDatapointsToAlarm'], expected: `at most anomalyEvaluationHours (${evaluationHours})`, found: String(g.anomalyDatapointsToAlarm) });
  }
  g?.excludedTimeRanges?.forEach((range, i) => {
    if (Date.parse(range.start) >= Date.parse(range.end)) {
      problems.push({ path: ['governance', 'excludedTimeRanges', i], expected: 'start before end', found: `${range.start} to ${range.end}` });
    }
  });

  const overridden = new Map((config.priceOverrides ?? []).map((o) => [PriceCatalog.canonicalModelId(o.modelId), o]));
  const configuredModels = new Set<string>();
  const knownIds = catalog.modelIds().join(', ');
  config.models?.forEach((model, m) => {
    const canonical = PriceCatalog.canonicalModelId(model.modelId);
    if (configuredModels.has(canonical)) {
      problems.push({ path: ['models', m, 'modelId'], expected: 'each model listed once', found: `'${model.modelId}' again` });
    }
    configuredModels.add(canonical);
    const price = catalog.latest(canonical);
    if (!price && !overridden.get(canonical)?.prices) {
      problems.push({
        path: ['models', m, 'modelId'],
        expected: `a model of the price catalog (${knownIds}), or a priceOverrides entry with prices for it`,
        found: `'${model.modelId}'`,
      });
    } else if (price && !PriceCatalog.providersOf(price.vendor).includes(model.provider)) {
      problems.push({
        path: ['models', m, 'provider'],
        expected: `a provider that serves ${price.displayName} (${PriceCatalog.providersOf(price.vendor).join(', ')})`,
        found: `'${model.provider}'`,
      });
    }
  });

  agents.forEach((agent, a) => {
    agent.models?.forEach((modelId, i) => {
      if (config.models && !configuredModels.has(PriceCatalog.canonicalModelId(modelId))) {
        problems.push({ path: ['agents', a, 'models', i], expected: 'a model id listed under models', found: `'${modelId}'` });
      }
    });
  });

  (config.priceOverrides ?? []).forEach((override, o) => {
    if (config.models && !configuredModels.has(PriceCatalog.canonicalModelId(override.modelId))) {
      problems.push({ path: ['priceOverrides', o, 'modelId'], expected: 'a model id listed under models', found: `'${override.modelId}'` });
    }
  });

  if (config.budgets) {
    const budgets = config.budgets;
    let perAgentTotal = 0;
    for (const [agentId, usd] of Object.entries(budgets.perAgentMonthlyUsd ?? {})) {
      perAgentTotal += usd;
      if (config.agents && !agentIds.includes(agentId)) {
        problems.push({ path: ['budgets', 'perAgentMonthlyUsd', agentId], expected: `an agent id (${agentIds.join(', ')})`, found: `'${agentId}'` });
      }
    }
    if (perAgentTotal > budgets.monthlyUsd) {
      problems.push({
        path: ['budgets', 'perAgentMonthlyUsd'],
        expected: `per-agent budgets that add up to at most monthlyUsd (${budgets.monthlyUsd})`,
        found: `a sum of ${perAgentTotal}`,
      });
    }
    if (budgets.awsBilledMonthlyUsd !== undefined && budgets.awsBilledMonthlyUsd > budgets.monthlyUsd) {
      problems.push({
        path: ['budgets', 'awsBilledMonthlyUsd'],
        expected: `at most monthlyUsd (${budgets.monthlyUsd}): the AWS-billed share is part of the total`,
        found: String(budgets.awsBilledMonthlyUsd),
      });
    }
  }

  if (config.budgets && config.models) {
    const bedrock = config.models.filter((m) => m.provider === ModelProvider.AWS_BEDROCK).length;
    const billed = config.budgets.awsBilledMonthlyUsd;
    if (bedrock > 0 && bedrock < config.models.length && billed === undefined) {
      problems.push({
        path: ['budgets'],
        expected: 'awsBilledMonthlyUsd, the Bedrock share of monthlyUsd: the AWS budget sees only what AWS bills, and these models are not all on Bedrock',
        found: 'no awsBilledMonthlyUsd',
      });
    } else if (bedrock === 0 && billed !== undefined) {
      problems.push({
        path: ['budgets', 'awsBilledMonthlyUsd'],
        expected: 'no awsBilledMonthlyUsd: no model is on Bedrock, so AWS bills none of the model spend (remove the key)',
        found: String(billed),
      });
    }
  }

  if (config.escalation) problems.push(...escalationProblems(config));
  problems.push(...awsLimitProblems(config));
  return problems;
}

function escalationProblems(config: Partial<ClientConfig>): Problem[] {
  const problems: Problem[] = [];
  const { pagerDuty, emails } = config.escalation!;
  if (!pagerDuty?.p1 && !(emails?.p1?.length)) {
    problems.push({
      path: ['escalation'],
      expected: 'a way to reach a human for P1: pagerDuty.p1 or at least one address in emails.p1',
      found: 'neither',
    });
  }
  const { slack } = config.escalation!;
  const escalationPosture = config.posture === OperatingPosture.ESCALATION;
  if (!escalationPosture && !pagerDuty?.p2 && !(emails?.p2?.length)) {
    problems.push({
      path: ['escalation'],
      expected: 'a destination for P2: pagerDuty.p2 (a low-urgency service) or at least one address in emails.p2',
      found: 'neither',
    });
  }
  if (escalationPosture && !slack && !(emails?.p2?.length)) {
    problems.push({
      path: ['escalation'],
      expected: 'the client team\'s own channel for posture escalation: slack, or addresses in emails.p2',
      found: 'neither',
    });
  }
  if (!slack && !(emails?.p3?.length)) {
    problems.push({ path: ['escalation'], expected: 'a destination for the P3 digest: slack or at least one address in emails.p3', found: 'neither' });
  }
  // Keys that would be validated and then ignored are refused, with the reason.
  if (pagerDuty?.p3) {
    problems.push({
      path: ['escalation', 'pagerDuty', 'p3'],
      expected: 'no pagerDuty.p3: P3 alarms never page; they go to the daily digest in slack or emails.p3 (remove the key)',
      found: 'a PagerDuty service for P3',
    });
  }
  if (escalationPosture && pagerDuty?.p2) {
    problems.push({
      path: ['escalation', 'pagerDuty', 'p2'],
      expected: 'no pagerDuty.p2 in posture escalation: the client team handles P2 in slack or emails.p2 and this stack pages for P1 only (remove the key, or use posture primary)',
      found: 'a PagerDuty service for P2',
    });
  }
  for (const severity of ['p1', 'p2', 'p3'] as const) {
    const secretName = pagerDuty?.[severity]?.integrationKeySecretName;
    if (secretName && LOOKS_LIKE_INTEGRATION_KEY.test(secretName)) {
      problems.push({
        path: ['escalation', 'pagerDuty', severity, 'integrationKeySecretName'],
        expected: 'the name of a Secrets Manager secret holding the key (store the key there; never put it in the config)',
        found: 'a value shaped like a PagerDuty integration key',
      });
    }
  }
  return problems;
}

/** The day `days` after an ISO day, as an ISO day. */
export function addDays(isoDay: string, days: number): string {
  const date = new Date(`${isoDay}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Longest AppConfig environment name: each rollout's environment is named `<agent>.<route>`. */
const APPCONFIG_ENVIRONMENT_NAME_MAX = 64;

/**
 * A route's rollout: its variants' models among the agent's, distinct variant ids, a stage plan rising
 * to 100%, keys that need a candidate, and the 30-day guard on the previous variant after a promotion.
 */
function rolloutProblems(config: Partial<ClientConfig>, agent: AgentConfig, route: RouteConfig, path: PropertyKey[], now: Date): Problem[] {
  const problems: Problem[] = [];
  const rollout = route.rollout!;
  const agentModels = agent.models ?? config.models?.map((m) => m.modelId);
  const variants = [['baseline', rollout.baseline], ['candidate', rollout.candidate], ['previous', rollout.previous]] as const;
  const seen = new Map<string, string>();
  for (const [side, variant] of variants) {
    if (!variant) continue;
    if (agentModels && !agentModels.some((m) => PriceCatalog.canonicalModelId(m) === PriceCatalog.canonicalModelId(variant.model))) {
      problems.push({ path: [...path, side], expected: `a variant whose model agent '${agent.id}' calls (${agentModels.join(', ')}); add it to the agent's models first`, found: `model '${variant.model}'` });
    }
    const other = seen.get(variant.id);
    if (other) {
      problems.push({ path: [...path, side, 'id'], expected: `a variant id other than the ${other}'s (each variant is recorded by its id)`, found: `'${variant.id}' again` });
    }
    seen.set(variant.id, side);
  }
  const name = `${agent.id}.${route.id}`;
  if (name.length > APPCONFIG_ENVIRONMENT_NAME_MAX) {
    problems.push({ path, expected: `agent and route ids of at most ${APPCONFIG_ENVIRONMENT_NAME_MAX - 1} characters together (the rollout's AppConfig environment is named <agent>.<route>)`, found: `'${name}' (${name.length} characters)` });
  }
  if (!rollout.candidate) {
    // With promotedOn, the 30-day guard below says what is missing.
    if (!rollout.previous && !rollout.promotedOn) {
      problems.push({ path, expected: 'a candidate to roll out, or previous after a promotion (a rollout with neither changes nothing: remove it)', found: 'neither' });
    }
    for (const key of ['stages', 'minCallsPerStage', 'shadowPercent'] as const) {
      if (rollout[key] !== undefined) {
        problems.push({ path: [...path, key], expected: `no ${key} without a candidate: it applies to a candidate's rollout (remove the key)`, found: JSON.stringify(rollout[key]) });
      }
    }
  }
  rollout.stages?.forEach((stage, i, stages) => {
    if (i > 0 && stage.percent <= stages[i - 1].percent) {
      problems.push({ path: [...path, 'stages', i, 'percent'], expected: `a percent above the previous stage's ${stages[i - 1].percent} (the candidate's share only grows)`, found: String(stage.percent) });
    }
  });
  const stages = rollout.stages;
  if (stages && stages[stages.length - 1].percent !== 100) {
    problems.push({ path: [...path, 'stages', stages.length - 1, 'percent'], expected: '100 in the last stage (the plan ends with the candidate serving every request)', found: String(stages[stages.length - 1].percent) });
  }
  const today = now.toISOString().slice(0, 10);
  if (rollout.previous && !rollout.promotedOn) {
    problems.push({ path: [...path, 'promotedOn'], expected: `the UTC day the promotion happened (YYYY-MM-DD), so the guard knows when previous may go (${ROLLOUT_DEFAULTS.keepPreviousDays} days later)`, found: 'previous without promotedOn' });
  }
  if (rollout.promotedOn) {
    const until = addDays(rollout.promotedOn, ROLLOUT_DEFAULTS.keepPreviousDays);
    if (rollout.promotedOn > today) {
      problems.push({ path: [...path, 'promotedOn'], expected: `a day that has come (today is ${today} UTC)`, found: rollout.promotedOn });
    } else if (!rollout.previous && today < until) {
      problems.push({
        path: [...path, 'previous'],
        expected: `the previous variant kept as the rollback target until ${ROLLOUT_DEFAULTS.keepPreviousDays} days after promotedOn ${rollout.promotedOn}: keep it until ${until}`,
        found: 'no previous',
      });
    } else if (!rollout.previous) {
      problems.push({ path: [...path, 'promotedOn'], expected: `no promotedOn once previous is gone (its ${ROLLOUT_DEFAULTS.keepPreviousDays} days ended on ${until}): remove the key`, found: rollout.promotedOn });
    }
  }
  return problems;
}
