import { ModelProvider } from '../../pricing/price-catalog';

/*
 * Model ids as agents send them, reduced to what the price catalog knows. The model dimension
 * keeps the id as sent; only the price lookup and the provider guess read these forms.
 */

// `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0`
// and `arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0`.
// Application inference profiles (`application-inference-profile/a1b2c3`) name no model: they stay unpriced.
const BEDROCK_ARN = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(?:inference-profile|foundation-model)\/(.+)$/;
// Vertex AI resource names: `projects/p/locations/l/publishers/google/models/gemini-2.5-flash`, or from `publishers/`.
const VERTEX_RESOURCE = /^(?:projects\/[^/]+\/locations\/[^/]+\/)?publishers\/[^/]+\/models\/(.+)$/;
// Vertex AI's version suffix: `claude-sonnet-4-5@20250929`, `gemini-2.5-flash@001`.
const VERTEX_VERSION = /@[\w.-]+$/;

/** The id the price catalog resolves (its own canonicalisation then removes Bedrock prefixes and dates). */
export function pricingModelId(model: string): string {
  let id = model.trim();
  const arn = BEDROCK_ARN.exec(id);
  if (arn) id = arn[1];
  const vertex = VERTEX_RESOURCE.exec(id);
  if (vertex) id = vertex[1];
  return id.replace(VERTEX_VERSION, '');
}

const BEDROCK_ID = /^(?:arn:aws[a-z-]*:bedrock:|(?:(?:us|us-gov|eu|apac|jp|au|ca|global)\.)?(?:anthropic|amazon|meta|mistral|cohere|ai21|deepseek|openai|qwen|writer)\.)/;
const VERTEX_ID = /^(?:projects\/|publishers\/)|@/;
const OPENAI_ID = /^(?:gpt-|o\d|chatgpt-|text-embedding-)/;
const GEMINI_ID = /^(?:models\/)?gemini-/;

/**
 * The API provider a model id implies, as OpenTelemetry's `gen_ai.provider.name`, for a call that
 * threw before any response named it; undefined when the id does not tell.
 */
export function providerOfModel(model: unknown): ModelProvider | undefined {
  if (typeof model !== 'string') return undefined;
  const id = model.trim().toLowerCase();
  if (BEDROCK_ID.test(id)) return ModelProvider.AWS_BEDROCK;
  if (VERTEX_ID.test(id)) return ModelProvider.GCP_VERTEX_AI;
  if (id.startsWith('claude-')) return ModelProvider.ANTHROPIC;
  if (OPENAI_ID.test(id)) return ModelProvider.OPENAI;
  if (GEMINI_ID.test(id)) return ModelProvider.GCP_GEMINI;
  return undefined;
}
