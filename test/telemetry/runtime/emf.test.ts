import { PriceCatalog } from '../../../lib/pricing';
import { AiTelemetry } from '../../../lib/telemetry/runtime';
import { serializeEmf } from '../../../lib/telemetry/runtime/emf';
import { buildAgentSessionLines, buildAiCallLines, buildEvaluationLines, buildRetrievalLines, EmfLine } from '../../../lib/telemetry/runtime/lines';
import { expectValidEmf } from '../../support/emf';
import { powertoolsMetrics, storeLine } from '../../support/powertools';
import { TYPICAL_CALL, TYPICAL_EVALUATION } from '../../support/records';

const NOW = Date.now();

/** The same line, serialized by Powertools for AWS Lambda (TypeScript) Metrics. */
function powertoolsDocument(line: EmfLine, namespace: string): object {
  const metrics = powertoolsMetrics(namespace);
  storeLine(metrics, line);
  return metrics.serializeMetrics();
}

const catalog = PriceCatalog.builtIn();
const call = TYPICAL_CALL;
const lines: Array<[string, EmfLine]> = [
  ['a model call (five dimension sets, one client-wide)', buildAiCallLines(call, catalog, NOW).lines[0]],
  ['a rejection', buildAiCallLines({ ...call, inputTokens: -1 }, catalog, NOW).lines[1]],
  ['an agent session', buildAgentSessionLines({ agent: 'answer', tenant: 't', sessionId: 's', steps: 3, toolCalls: { search: 2 }, tokens: 900, costUsd: 0.01 }, NOW).lines[0]],
  ['a tool-call line', buildAgentSessionLines({ agent: 'answer', tenant: 't', sessionId: 's', steps: 3, toolCalls: { search: 2 }, tokens: 900, costUsd: 0.01 }, NOW).lines[1]],
  ['a retrieval', buildRetrievalLines({ agent: 'retrieval', tenant: 't', hits: 4, k: 4, recallAtK: 0.5, indexAgeHours: 2, cacheHit: false }, NOW).lines[0]],
  ['an evaluation (verdict and score, two dimension sets)', buildEvaluationLines(TYPICAL_EVALUATION, NOW).lines[0]],
  ['an evaluation with a verdict only', buildEvaluationLines({ ...TYPICAL_EVALUATION, score: undefined, variant: undefined }, NOW).lines[0]],
  ['an evaluation\'s rejection', buildEvaluationLines({ ...TYPICAL_EVALUATION, score: 7 }, NOW).lines[1]],
  ['feedback (thumbs down)', feedbackLine()],
];

/** The line recordFeedback writes, as the helper hands it to its writer. */
function feedbackLine(): EmfLine {
  const written: EmfLine[] = [];
  new AiTelemetry({ clock: () => NOW, write: (line) => written.push(line) })
    .recordFeedback({ agent: 'answer', route: 'draft-reply', model: 'gpt-5-mini', tenant: 't', requestId: 'r', positive: false });
  return written[0];
}

describe('serializeEmf', () => {
  test.each(lines)('writes %s exactly as Powertools Metrics would', (_name, line) => {
    const ours = JSON.parse(serializeEmf(line, 'CdkAiOps'));
    expectValidEmf(ours);
    expect(ours).toEqual(powertoolsDocument(line, 'CdkAiOps'));
  });
});
