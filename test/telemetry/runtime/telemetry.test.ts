import { routeKey, VariantRollout } from '../../../lib/rollout/runtime';
import { RecordType, RejectionReason, TelemetryContract, TelemetryDimensionSets, TelemetryFields, TelemetryMetrics } from '../../../lib/telemetry';
import { AiCallInput, AiTelemetry, CallOutcome, EmfLine, fromBedrockConverse, UNKNOWN_DIMENSION_VALUE } from '../../../lib/telemetry/runtime';
import { captureEmf, expectValidEmf, shapeOf } from '../../support/emf';
import { TYPICAL_CALL } from '../../support/records';

const NOW = Date.now();
const F = TelemetryFields;
const M = TelemetryMetrics;

function newTelemetry(warnings: string[] = []) {
  return new AiTelemetry({ namespace: 'Test', clock: () => NOW, warn: (message) => warnings.push(message) });
}

/** The typical call, not streamed. */
const goodCall: AiCallInput = { ...TYPICAL_CALL, tenant: 'tenant-1', timeToFirstTokenMs: undefined, sessionId: 's-1', requestId: 'r-1' };

describe('recordAiCall', () => {
  test('writes one valid EMF line with the contract\'s dimension sets and metrics, costed at the call\'s date', async () => {
    const [line, ...rest] = await captureEmf(() => newTelemetry().recordAiCall({ ...goodCall, timestamp: NOW - 60_000 }));
    expect(rest).toEqual([]);
    expectValidEmf(line);
    expect(shapeOf(line)).toEqual({
      dimensions: TelemetryDimensionSets.forRecord(RecordType.AI_CALL).map((set) => set.dimensions),
      metrics: TelemetryDimensionSets.CALLS_BY_ROUTE.metrics.map((m) => m.name).filter((name) => name !== M.TIME_TO_FIRST_TOKEN_MS.name),
    });
    expect(line._aws.Timestamp).toBe(NOW - 60_000);
    expect(line._aws.CloudWatchMetrics[0].Namespace).toBe('Test');
    expect(line).toEqual(expect.objectContaining({
      [F.AGENT.name]: 'answer',
      [F.ROUTE.name]: 'draft-reply',
      [F.TENANT.name]: 'tenant-1',
      [F.OUTCOME.name]: 'ok',
      [M.CALLS.name]: 1,
      [M.MODEL_ERRORS.name]: 0,
      [M.INPUT_TOKENS.name]: 1200,
      [M.CACHE_WRITE_TOKENS.name]: 1500,
      [F.PRICE_VERSION.name]: 'anthropic/claude-sonnet-4-5@2025-09-29',
      [F.RECORD_TYPE.name]: RecordType.AI_CALL,
    }));
    expect(line[M.COST_USD.name]).toBeCloseTo(0.016875, 12);
  });

  test('tenant, session and request ids and the variant are properties, never dimensions', async () => {
    const [line] = await captureEmf(() => newTelemetry().recordAiCall(goodCall));
    const dimensions = line._aws.CloudWatchMetrics.flatMap((d: any) => d.Dimensions.flat());
    expect(line[F.VARIANT.name]).toBe('sonnet-4-5@prompt-v7');
    for (const field of [F.TENANT, F.SESSION_ID, F.REQUEST_ID, F.VARIANT]) {
      expect(dimensions).not.toContain(field.name);
      expect(typeof line[field.name]).toBe('string');
    }
  });

  test('error outcomes become 0/1 counters beside calls', async () => {
    const lines = await captureEmf(() => {
      const telemetry = newTelemetry();
      for (const outcome of [CallOutcome.MODEL_ERROR, CallOutcome.APP_ERROR, CallOutcome.THROTTLED]) telemetry.recordAiCall({ ...goodCall, outcome });
    });
    expect(lines.map((l) => [l[M.MODEL_ERRORS.name], l[M.APP_ERRORS.name], l[M.THROTTLES.name]])).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  });

  test('client price overrides apply to the recorded cost', async () => {
    const telemetry = new AiTelemetry({ clock: () => NOW, priceOverrides: [{ modelId: 'gpt-5-mini', discountPercent: 20 }] });
    const [line] = await captureEmf(() => telemetry.recordAiCall({ ...goodCall, provider: 'openai', model: 'gpt-5-mini', inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }));
    expect(line[M.COST_USD.name]).toBeCloseTo(0.2, 12);
  });

  test('price overrides can come from the environment, as the stack sets them', async () => {
    process.env.CDK_AI_OPS_PRICE_OVERRIDES = JSON.stringify([{ modelId: 'gpt-5-mini', discountPercent: 50 }]);
    process.env.CDK_AI_OPS_NAMESPACE = 'FromEnv';
    try {
      const telemetry = new AiTelemetry({ clock: () => NOW });
      const [line] = await captureEmf(() => telemetry.recordAiCall({ ...goodCall, model: 'gpt-5-mini', inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }));
      expect(line[M.COST_USD.name]).toBeCloseTo(0.125, 12);
      expect(line._aws.CloudWatchMetrics[0].Namespace).toBe('FromEnv');
    } finally {
      delete process.env.CDK_AI_OPS_PRICE_OVERRIDES;
      delete process.env.CDK_AI_OPS_NAMESPACE;
    }
  });
});

describe('bad records never hurt the caller', () => {
  const rejectionsIn = (lines: any[]) => lines.filter((l) => l[F.RECORD_TYPE.name] === RecordType.TELEMETRY_REJECTION);

  test.each<[string, Partial<Record<keyof AiCallInput, unknown>>, RejectionReason]>([
    ['negative tokens', { inputTokens: -5 }, RejectionReason.INVALID_NUMBER],
    ['NaN latency', { latencyMs: Number.NaN }, RejectionReason.INVALID_NUMBER],
    ['a missing agent', { agent: undefined }, RejectionReason.MISSING_FIELD],
    ['a non-ASCII route', { route: 'réponse' }, RejectionReason.INVALID_DIMENSION],
    ['an unknown outcome', { outcome: 'exploded' }, RejectionReason.INVALID_OUTCOME],
    ['a timestamp a month old', { timestamp: NOW - 30 * 24 * 3600 * 1000 }, RejectionReason.INVALID_TIMESTAMP],
    ['a variant that is not a string', { variant: { id: 'v7' } }, RejectionReason.MISSING_FIELD],
    ['a 5,000-character variant (content passed by mistake)', { variant: 'v'.repeat(5_000) }, RejectionReason.TRUNCATED],
  ])('%s: written with what is valid, counted under its reason', async (_case, change, reason) => {
    const warnings: string[] = [];
    const telemetry = newTelemetry(warnings);
    const lines = await captureEmf(() => expect(() => telemetry.recordAiCall({ ...goodCall, ...change } as AiCallInput)).not.toThrow());
    const [call] = lines;
    expectValidEmf(call);
    expect(call[M.CALLS.name]).toBe(1);
    expect(rejectionsIn(lines)).toEqual([expect.objectContaining({ [F.REASON.name]: reason, [M.TELEMETRY_REJECTED.name]: 1 })]);
    expect(shapeOf(rejectionsIn(lines)[0])).toEqual({
      dimensions: TelemetryDimensionSets.REJECTIONS_BY_REASON.dimensions.map((d) => [d]),
      metrics: [M.TELEMETRY_REJECTED.name],
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(reason);
  });

  test('the invalid part is dropped, the rest kept; a missing dimension becomes "unknown"', async () => {
    const lines = await captureEmf(() => newTelemetry().recordAiCall({ ...goodCall, agent: '', inputTokens: -1 } as AiCallInput));
    expect(lines[0][F.AGENT.name]).toBe(UNKNOWN_DIMENSION_VALUE);
    expect(lines[0]).not.toHaveProperty(M.INPUT_TOKENS.name);
    expect(lines[0][M.OUTPUT_TOKENS.name]).toBe(350);
  });

  test('an unknown model is costed at 0 and flagged, never guessed', async () => {
    const lines = await captureEmf(() => newTelemetry().recordAiCall({ ...goodCall, model: 'claude-99-hyper' }));
    expect(lines[0][M.COST_USD.name]).toBe(0);
    expect(lines[0][F.PRICE_VERSION.name]).toBe('unpriced');
    expect(rejectionsIn(lines)[0][F.REASON.name]).toBe(RejectionReason.UNKNOWN_MODEL);
  });

  test('garbage input (null) writes a counted line instead of throwing', async () => {
    const lines = await captureEmf(() => expect(() => newTelemetry().recordAiCall(null as unknown as AiCallInput)).not.toThrow());
    expect(lines[0][F.AGENT.name]).toBe(UNKNOWN_DIMENSION_VALUE);
    expect(rejectionsIn(lines).map((l) => l[F.REASON.name])).toEqual([RejectionReason.MISSING_FIELD]);
  });

  test('warns once per reason, however many records it repairs', async () => {
    const warnings: string[] = [];
    const telemetry = newTelemetry(warnings);
    const lines = await captureEmf(() => {
      for (let i = 0; i < 50; i++) telemetry.recordAiCall({ ...goodCall, inputTokens: -i - 1 });
      telemetry.recordAiCall({ ...goodCall, outcome: 'bad' as CallOutcome });
    });
    expect(rejectionsIn(lines)).toHaveLength(51);
    expect(warnings).toHaveLength(2);
    // the warning names the field, never the customer's value
    expect(warnings[0]).toMatch(/invalid_number: inputTokens must be a number from 0 to/);
  });

  test('a writer failure is swallowed and warned once; the next record is written clean', async () => {
    const warnings: string[] = [];
    const written: EmfLine[] = [];
    let failures = 1;
    const telemetry = new AiTelemetry({
      clock: () => NOW,
      warn: (message) => warnings.push(message),
      write: (line) => {
        if (failures-- > 0) throw new Error('stdout closed');
        written.push(line);
      },
    });
    expect(() => telemetry.recordAiCall({ ...goodCall, route: 'first-route', tenant: 'tenant-a' })).not.toThrow();
    telemetry.recordAiCall({ ...goodCall, agent: 'triage', route: 'classify-ticket', model: 'gpt-5-mini', tenant: 'tenant-b', sessionId: undefined });
    expect(warnings).toEqual([expect.stringContaining('stdout closed')]);
    expect(written).toHaveLength(1);
    expect(written[0].dimensionSets[0]).toEqual({ [F.AGENT.name]: 'triage', [F.ROUTE.name]: 'classify-ticket' });
    expect(written[0].properties[F.TENANT.name]).toBe('tenant-b');
    expect(written[0].properties).not.toHaveProperty(F.SESSION_ID.name);
  });

  test('dimensions and properties never leak from one record into the next', async () => {
    const lines = await captureEmf(() => {
      const telemetry = newTelemetry();
      telemetry.recordAiCall({ ...goodCall, timeToFirstTokenMs: 500 });
      telemetry.recordAiCall({ ...goodCall, agent: 'triage', route: 'detect-language', sessionId: undefined, requestId: undefined });
    });
    expect(lines[1]).not.toHaveProperty(M.TIME_TO_FIRST_TOKEN_MS.name);
    expect(lines[1]).not.toHaveProperty(F.SESSION_ID.name);
    expect(lines[1][F.AGENT.name]).toBe('triage');
    expect(shapeOf(lines[1]).metrics).not.toContain(M.TIME_TO_FIRST_TOKEN_MS.name);
  });
});

describe('trackAiCall', () => {
  const converse = { usage: { inputTokens: 100, outputTokens: 20, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 }, metrics: { latencyMs: 450 } };
  const call = { agent: 'answer', route: 'draft-reply', tenant: 'tenant-1', model: 'anthropic.claude-haiku-4-5-20251001-v1:0' };

  test('records the usage of a successful call and returns its result', async () => {
    const telemetry = newTelemetry();
    let result: unknown;
    const lines = await captureEmf(async () => {
      result = await telemetry.trackAiCall(call, async () => converse, fromBedrockConverse);
    });
    expect(result).toBe(converse);
    expect(lines[0]).toEqual(expect.objectContaining({ [M.INPUT_TOKENS.name]: 100, [F.PROVIDER.name]: 'aws.bedrock', [F.OUTCOME.name]: 'ok' }));
    // the wall-clock wait, not Bedrock's own 450 ms (the test's clock does not move)
    expect(lines[0][M.LATENCY_MS.name]).toBe(0);
  });

  test('records a failed call with the outcome its error implies, and rethrows the same error', async () => {
    const telemetry = newTelemetry();
    const throttled = Object.assign(new Error('Too many requests'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } });
    let caught: unknown;
    const lines = await captureEmf(async () => {
      caught = await telemetry.trackAiCall(call, async () => { throw throttled; }, fromBedrockConverse).catch((e) => e);
    });
    expect(caught).toBe(throttled);
    expect(lines[0]).toEqual(expect.objectContaining({ [M.THROTTLES.name]: 1, [F.OUTCOME.name]: 'throttled', [M.INPUT_TOKENS.name]: 0 }));
  });

  test('the line of a handler that throws afterwards is already written (nothing is buffered)', async () => {
    const telemetry = newTelemetry();
    const handler = async () => {
      await telemetry.trackAiCall(call, async () => converse, fromBedrockConverse);
      throw new Error('the handler failed after the model call');
    };
    const lines = await captureEmf(() => handler().catch(() => undefined));
    expect(lines).toHaveLength(1);
    expect(lines[0][M.CALLS.name]).toBe(1);
  });

  test('the variant chooseVariant picked is on the line when the caller spreads choice.telemetry into the context', async () => {
    // GIVEN a rollout with no flag source: the route serves its local baseline
    const baseline = { id: 'haiku-4-5@prompt-v3', model: call.model, promptVersion: 'v3', params: { maxTokens: 800 } };
    const rollout = new VariantRollout({ source: undefined, baselines: { [routeKey(call.agent, call.route)]: baseline }, warn: () => undefined });
    const choice = (await rollout.chooseVariant(call.agent, call.route, call.tenant))!;
    // WHEN the call is tracked with the choice's telemetry fields
    const context = { ...call, model: choice.variant.model, ...choice.telemetry };
    const lines = await captureEmf(() => newTelemetry().trackAiCall(context, async () => converse, fromBedrockConverse));
    // THEN the line names the variant, as a property
    expect(choice.telemetry.variant).toBe(choice.variant.id);
    expect(lines[0][F.VARIANT.name]).toBe('haiku-4-5@prompt-v3');
    expect(lines[0]._aws.CloudWatchMetrics[0].Dimensions.flat()).not.toContain(F.VARIANT.name);
  });

  test('a failed tracked call still names its variant', async () => {
    const lines = await captureEmf(() => newTelemetry().trackAiCall({ ...call, variant: 'sonnet-4-6@prompt-v8' }, async () => {
      throw Object.assign(new Error('boom'), { status: 500 });
    }).catch(() => undefined));
    expect(lines[0]).toEqual(expect.objectContaining({ [F.VARIANT.name]: 'sonnet-4-6@prompt-v8', [F.OUTCOME.name]: CallOutcome.MODEL_ERROR }));
  });
});

describe('recordAgentSession and recordRetrieval', () => {
  test('a session line per agent plus one tool-call line per tool, as the contract\'s sets say', async () => {
    const lines = await captureEmf(() => newTelemetry().recordAgentSession({
      agent: 'answer', tenant: 'tenant-1', sessionId: 's-1', steps: 6, toolCalls: { search_kb: 3, fetch_order: 1 }, tokens: 41200, costUsd: 0.21,
    }));
    lines.forEach(expectValidEmf);
    expect(lines).toHaveLength(3);
    expect(shapeOf(lines[0])).toEqual({
      dimensions: [TelemetryDimensionSets.SESSIONS_BY_AGENT.dimensions],
      metrics: TelemetryDimensionSets.SESSIONS_BY_AGENT.metrics.map((m) => m.name),
    });
    expect(lines[0]).toEqual(expect.objectContaining({
      [M.SESSION_STEPS.name]: 6, [M.SESSION_TOOL_CALLS.name]: 4, [M.SESSION_FAILURES.name]: 0, [M.SESSION_COST_USD.name]: 0.21,
    }));
    expect(lines.slice(1).map((l) => [l[F.TOOL.name], l[M.TOOL_CALLS.name], shapeOf(l).dimensions])).toEqual([
      ['search_kb', 3, [TelemetryDimensionSets.TOOL_CALLS_BY_AGENT_TOOL.dimensions]],
      ['fetch_order', 1, [TelemetryDimensionSets.TOOL_CALLS_BY_AGENT_TOOL.dimensions]],
    ]);
  });

  test('a session names the variant that served it, as a property of the session line only', async () => {
    const lines = await captureEmf(() => newTelemetry().recordAgentSession({
      agent: 'answer',
      tenant: 'tenant-1',
      sessionId: 's-2',
      steps: 2,
      toolCalls: { search_kb: 1 },
      tokens: 900,
      costUsd: 0.01,
      variant: 'sonnet-4-6@prompt-v8',
    }));
    expect(lines[0][F.VARIANT.name]).toBe('sonnet-4-6@prompt-v8');
    expect(lines[1]).not.toHaveProperty(F.VARIANT.name);
    expect(lines.flatMap((l) => l._aws.CloudWatchMetrics[0].Dimensions.flat())).not.toContain(F.VARIANT.name);
  });

  test('a retrieval line with recall, precision, staleness and cache hit', async () => {
    const [line, ...rest] = await captureEmf(() => newTelemetry().recordRetrieval({
      agent: 'retrieval', route: 'rerank', tenant: 'tenant-1', hits: 8, k: 8, recallAtK: 0.75, precisionAtK: 0.5, indexAgeHours: 3.5, cacheHit: true,
    }));
    expect(rest).toEqual([]);
    expectValidEmf(line);
    expect(shapeOf(line).dimensions).toEqual([TelemetryDimensionSets.RETRIEVALS_BY_AGENT.dimensions]);
    expect(line).toEqual(expect.objectContaining({
      [M.RETRIEVAL_HITS.name]: 8,
      [M.RETRIEVAL_RECALL_AT_K.name]: 0.75,
      [M.RETRIEVAL_PRECISION_AT_K.name]: 0.5,
      [M.RETRIEVAL_INDEX_AGE_HOURS.name]: 3.5,
      [M.RETRIEVAL_CACHE_HITS.name]: 1,
      [F.TOP_K.name]: 8,
      [F.ROUTE.name]: 'rerank',
    }));
  });

  test('a recall above 1 is dropped and counted, the rest of the retrieval kept', async () => {
    const lines = await captureEmf(() => newTelemetry().recordRetrieval({ agent: 'retrieval', tenant: 't', hits: 3, recallAtK: 1.5 }));
    expect(lines[0]).not.toHaveProperty(M.RETRIEVAL_RECALL_AT_K.name);
    expect(lines[0][M.RETRIEVAL_HITS.name]).toBe(3);
    expect(lines[1][F.REASON.name]).toBe(RejectionReason.INVALID_NUMBER);
  });
});

describe('cardinality discipline', () => {
  test('10,000 records over 1,000 tenants and 50 variants publish exactly the contract\'s series count, whatever the tenant count', async () => {
    // GIVEN the example client's shape: 4 agents, 8 routes, 3 models, 6 (agent, model) pairs
    const agents: Record<string, { routes: string[]; models: string[] }> = {
      'triage': { routes: ['classify-ticket', 'detect-language'], models: ['anthropic.claude-haiku-4-5-20251001-v1:0'] },
      'answer': { routes: ['draft-reply', 'summarize-thread'], models: ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-haiku-4-5-20251001-v1:0'] },
      'retrieval': { routes: ['rewrite-query', 'rerank'], models: ['gpt-5-mini'] },
      'qa-review': { routes: ['score-reply', 'flag-escalation'], models: ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'gpt-5-mini'] },
    };
    const names = Object.keys(agents);
    const seriesFor = async (tenants: number) => {
      const telemetry = newTelemetry();
      const lines = await captureEmf(() => {
        for (let i = 0; i < 10_000; i++) {
          const agent = names[i % names.length];
          const { routes, models } = agents[agent];
          telemetry.recordAiCall({
            ...goodCall,
            agent,
            route: routes[Math.floor(i / 4) % routes.length],
            model: models[Math.floor(i / 8) % models.length],
            tenant: `tenant-${i % tenants}`,
            sessionId: `session-${i}`,
            requestId: `request-${i}`,
            variant: `variant-${i % 50}`,
            timeToFirstTokenMs: 100 + (i % 50),
          });
        }
      });
      return new Set(lines.flatMap((line) => {
        const directive = line._aws.CloudWatchMetrics[0];
        return directive.Dimensions.flatMap((set: string[]) => directive.Metrics.map(
          (m: { Name: string }) => `${m.Name}{${set.map((d) => `${d}=${line[d]}`).join(',')}}`,
        ));
      }));
    };
    const expected = TelemetryContract.customMetricCount({ agents: 4, routes: 8, models: 3, agentModelPairs: 6 });

    // WHEN / THEN
    const withThousandTenants = await seriesFor(1_000);
    expect(withThousandTenants.size).toBe(expected);
    expect((await seriesFor(10)).size).toBe(expected);
    expect([...withThousandTenants].some((series) => series.includes('tenant'))).toBe(false);
  });
});
