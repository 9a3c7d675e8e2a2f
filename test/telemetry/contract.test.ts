import {
  AgentSessionRecord, AiCallRecord, CallOutcome, CardinalityScope, EvaluationRecord, EvaluationSource, MetricUnit, RecordType, RetrievalRecord,
  ToolCallsRecord,
  TelemetryContract, TelemetryDimensionSets, TelemetryFields, TelemetryMetrics,
} from '../../lib/telemetry';

const metricNames = TelemetryMetrics.all().map((m) => m.name);
const fieldNames = TelemetryFields.all().map((f) => f.name);

describe('the telemetry contract', () => {
  test('every metric and field name is unique, and no metric shares a name with a field', () => {
    expect(new Set(metricNames).size).toBe(metricNames.length);
    expect(new Set(fieldNames).size).toBe(fieldNames.length);
    expect(metricNames.filter((name) => fieldNames.includes(name))).toEqual([]);
  });

  test('every metric of the class is published by some dimension set', () => {
    const declared = Object.values(TelemetryMetrics).filter((v) => typeof v === 'object' && 'unit' in v);
    expect(declared.map((m) => m.name).sort()).toEqual([...metricNames].sort());
  });

  test('tenant, session and request ids are never dimensions', () => {
    const dimensions = new Set(TelemetryDimensionSets.all().flatMap((set) => set.dimensions));
    for (const field of [TelemetryFields.TENANT, TelemetryFields.SESSION_ID, TelemetryFields.REQUEST_ID]) {
      expect(dimensions.has(field.name)).toBe(false);
      expect(field.dimension).toBe(false);
    }
  });

  test('a field is marked as a dimension exactly when a dimension set uses it', () => {
    const dimensions = new Set(TelemetryDimensionSets.all().flatMap((set) => set.dimensions));
    for (const field of TelemetryFields.all()) {
      expect({ field: field.name, dimension: dimensions.has(field.name) }).toEqual({ field: field.name, dimension: field.dimension });
    }
  });

  test('dimension sets stay within EMF limits (100 metrics, 30 dimensions per directive)', () => {
    for (const set of TelemetryDimensionSets.all()) {
      expect(set.metrics.length).toBeLessThanOrEqual(100);
      expect(set.dimensions.length).toBeLessThanOrEqual(30);
    }
  });

  test('cost and latency carry the units CloudWatch needs for dollars and percentiles', () => {
    expect(TelemetryMetrics.COST_USD.unit).toBe(MetricUnit.NONE);
    expect(TelemetryMetrics.LATENCY_MS.unit).toBe(MetricUnit.MILLISECONDS);
    expect(TelemetryMetrics.INPUT_TOKENS.unit).toBe(MetricUnit.COUNT);
  });

  test('the per-call record maps onto the contract: every key is a metric or a field', () => {
    const record: Required<AiCallRecord> = {
      timestamp: 0,
      agent: 'a',
      route: 'r',
      tenant: 't',
      provider: 'aws.bedrock',
      model: 'm',
      operation: 'chat',
      inputTokens: 1,
      outputTokens: 1,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      latencyMs: 1,
      timeToFirstTokenMs: 1,
      outcome: CallOutcome.OK,
      costUsd: 0,
      priceVersion: 'v',
      totalTokens: 2,
      sessionId: 's',
      requestId: 'q',
      variant: 'v',
    };
    const session: Required<AgentSessionRecord> = {
      timestamp: 0,
      agent: 'a',
      route: 'r',
      tenant: 't',
      sessionId: 's',
      outcome: CallOutcome.OK,
      sessionSteps: 1,
      sessionToolCalls: 1,
      sessionTokens: 1,
      sessionCostUsd: 0,
      variant: 'v',
    };
    const toolCalls: Required<ToolCallsRecord> = { timestamp: 0, agent: 'a', tool: 'search', toolCalls: 2, sessionId: 's' };
    const retrieval: Required<RetrievalRecord> = {
      timestamp: 0,
      agent: 'a',
      route: 'r',
      tenant: 't',
      retrievalHits: 1,
      k: 5,
      retrievalRecallAtK: 1,
      retrievalPrecisionAtK: 1,
      retrievalIndexAgeHours: 1,
      retrievalCacheHits: 0,
    };
    const evaluation: Required<EvaluationRecord> = {
      timestamp: 0,
      agent: 'a',
      route: 'r',
      model: 'm',
      variant: 'v',
      tenant: 't',
      evaluator: 'e',
      evaluatorVersion: '1',
      evaluationSource: EvaluationSource.JUDGE,
      evaluationCount: 1,
      evaluationPassed: 1,
      evaluationScore: 0.5,
      sampleWeight: 1,
      requestId: 'q',
      sessionId: 's',
    };
    // `timestamp` travels as the EMF `_aws.Timestamp`.
    for (const sample of [record, session, toolCalls, retrieval, evaluation]) {
      const keys = Object.keys(sample).filter((key) => key !== 'timestamp');
      expect(keys.filter((key) => !metricNames.includes(key) && !fieldNames.includes(key))).toEqual([]);
    }
    // Every metric the call record's dimension sets publish is in the record, or derived from its outcome.
    const { CALLS, MODEL_ERRORS, APP_ERRORS, THROTTLES } = TelemetryMetrics;
    const derivedFromOutcome = [CALLS, MODEL_ERRORS, APP_ERRORS, THROTTLES].map((m) => m.name);
    const callMetrics = TelemetryDimensionSets.forRecord(RecordType.AI_CALL).flatMap((set) => set.metrics.map((m) => m.name));
    expect(callMetrics.filter((name) => !(name in record) && !derivedFromOutcome.includes(name))).toEqual([]);
  });
});

describe('TelemetryContract.customMetricCount', () => {
  test('is the sum over dimension sets of metrics x the count of their scope', () => {
    // The 11 call metrics, per route, per agent-model pair, per agent, per model and client-wide.
    expect(TelemetryContract.customMetricCount({ agents: 4, routes: 8, models: 3, agentModelPairs: 6 })).toBe(11 * (8 + 6 + 4 + 3 + 1));
    for (const set of TelemetryDimensionSets.forRecord(RecordType.AI_CALL)) {
      expect(set.metrics).toHaveLength(11);
    }
  });

  test('counts evaluation series per (route, evaluator) and per (agent, model, evaluator), never per tenant or variant', () => {
    const base = { agents: 4, routes: 8, models: 3, agentModelPairs: 6 };
    const withEvaluations = TelemetryContract.customMetricCount({ ...base, routeEvaluators: 3, agentModelEvaluators: 4 });
    expect(withEvaluations - TelemetryContract.customMetricCount(base)).toBe(3 * 3 + 3 * 4);
  });

  test('counts session, tool, retrieval and rejection series when they are recorded', () => {
    const base = { agents: 4, routes: 8, models: 3, agentModelPairs: 6 };
    const withAll = { ...base, sessionAgents: 2, agentToolPairs: 5, retrievalAgents: 1, rejectionReasons: 2 };
    expect(TelemetryContract.customMetricCount(withAll) - TelemetryContract.customMetricCount(base)).toBe(6 * 2 + 5 + 6 * 1 + 2);
  });

  test('sets of one record type either share their metric list (one EMF directive) or share no metric', () => {
    for (const recordType of Object.values(RecordType)) {
      const sets = TelemetryDimensionSets.forRecord(recordType);
      for (const a of sets) {
        for (const b of sets) {
          const shared = a.metrics.filter((m) => b.metrics.includes(m));
          expect(shared.length === 0 || a.metrics === b.metrics).toBe(true);
        }
      }
    }
  });

  test('every cardinality scope is used by some dimension set', () => {
    const used = new Set(TelemetryDimensionSets.all().map((set) => set.scope));
    expect([...used].sort()).toEqual(Object.values(CardinalityScope).sort());
  });
});
