import { FlagFetch, FlagSource, ROLLOUT_FLAG_KEY, Variant } from '../../lib/rollout/runtime';

export const BASELINE: Variant = { id: 'sonnet45-p3', model: 'claude-sonnet-4-5', promptVersion: '3', params: { temperature: 0.2, maxTokens: 1024 } };
export const CANDIDATE: Variant = { id: 'sonnet46-p3', model: 'claude-sonnet-4-6', promptVersion: '3', params: { temperature: 0.2, maxTokens: 1024 } };

/** A route flag document as AppConfig returns a feature-flag profile. */
export function flagDocument(candidatePercent: number, shadowPercent = 0, enabled = true): unknown {
  return {
    [ROLLOUT_FLAG_KEY]: {
      enabled,
      baselineId: BASELINE.id,
      baselineModel: BASELINE.model,
      baselinePromptVersion: BASELINE.promptVersion,
      baselineTemperature: 0.2,
      baselineMaxTokens: 1024,
      candidateId: CANDIDATE.id,
      candidateModel: CANDIDATE.model,
      candidatePromptVersion: CANDIDATE.promptVersion,
      candidateTemperature: 0.2,
      candidateMaxTokens: 1024,
      candidatePercent,
      shadowPercent,
    },
  };
}

/** A flag source whose document the test sets, recording each read (an in-memory AppConfig). */
export class SettableFlagSource implements FlagSource {
  public document: unknown;
  public failure?: Error;
  public reads = 0;

  public async fetch(): Promise<FlagFetch> {
    this.reads++;
    if (this.failure) throw this.failure;
    return { document: this.document };
  }
}

/** A clock the test moves. */
export class TestClock {
  public now = Date.parse('2026-11-29T12:00:00Z');
  public readonly read = (): number => this.now;
}
