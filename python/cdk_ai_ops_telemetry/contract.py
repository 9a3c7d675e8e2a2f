"""The telemetry contract and built-in prices, generated from lib/telemetry/contract.ts and lib/pricing/catalog.ts.

Do not edit: run `npx projen python:contract` (a test fails when this file is stale).
"""
# fmt: off

DEFAULT_NAMESPACE = "CdkAiOps"
SCHEMA_VERSION = "1"

# Metric constant -> (name, unit)
class M:
    CALLS = ("calls", "Count")
    MODEL_ERRORS = ("modelErrors", "Count")
    APP_ERRORS = ("appErrors", "Count")
    THROTTLES = ("throttles", "Count")
    LATENCY_MS = ("latencyMs", "Milliseconds")
    TIME_TO_FIRST_TOKEN_MS = ("timeToFirstTokenMs", "Milliseconds")
    INPUT_TOKENS = ("inputTokens", "Count")
    OUTPUT_TOKENS = ("outputTokens", "Count")
    CACHE_READ_TOKENS = ("cacheReadTokens", "Count")
    CACHE_WRITE_TOKENS = ("cacheWriteTokens", "Count")
    COST_USD = ("costUsd", "None")
    SESSIONS = ("sessions", "Count")
    SESSION_FAILURES = ("sessionFailures", "Count")
    SESSION_STEPS = ("sessionSteps", "Count")
    SESSION_TOOL_CALLS = ("sessionToolCalls", "Count")
    SESSION_TOKENS = ("sessionTokens", "Count")
    SESSION_COST_USD = ("sessionCostUsd", "None")
    TOOL_CALLS = ("toolCalls", "Count")
    RETRIEVALS = ("retrievals", "Count")
    RETRIEVAL_HITS = ("retrievalHits", "Count")
    RETRIEVAL_RECALL_AT_K = ("retrievalRecallAtK", "None")
    RETRIEVAL_PRECISION_AT_K = ("retrievalPrecisionAtK", "None")
    RETRIEVAL_INDEX_AGE_HOURS = ("retrievalIndexAgeHours", "None")
    RETRIEVAL_CACHE_HITS = ("retrievalCacheHits", "Count")
    EVALUATION_COUNT = ("evaluationCount", "Count")
    EVALUATION_PASSED = ("evaluationPassed", "Count")
    EVALUATION_SCORE = ("evaluationScore", "None")
    TELEMETRY_REJECTED = ("telemetryRejected", "Count")

# Record field constant -> name
class F:
    RECORD_TYPE = "recordType"
    SCHEMA_VERSION = "schemaVersion"
    AGENT = "agent"
    ROUTE = "route"
    MODEL = "model"
    TOOL = "tool"
    REASON = "reason"
    TENANT = "tenant"
    PROVIDER = "provider"
    OPERATION = "operation"
    OUTCOME = "outcome"
    PRICE_VERSION = "priceVersion"
    SESSION_ID = "sessionId"
    REQUEST_ID = "requestId"
    TOTAL_TOKENS = "totalTokens"
    TOP_K = "k"
    DETAIL = "detail"
    VARIANT = "variant"
    EVALUATOR = "evaluator"
    EVALUATOR_VERSION = "evaluatorVersion"
    EVALUATION_SOURCE = "evaluationSource"
    SAMPLE_WEIGHT = "sampleWeight"

# Dimension set constant -> dimension names, in order
class D:
    CALLS_BY_ROUTE = ["agent","route"]
    CALLS_BY_AGENT_MODEL = ["agent","model"]
    CALLS_BY_AGENT = ["agent"]
    CALLS_BY_MODEL = ["model"]
    CALLS_TOTAL = []
    SESSIONS_BY_AGENT = ["agent"]
    TOOL_CALLS_BY_AGENT_TOOL = ["agent","tool"]
    RETRIEVALS_BY_AGENT = ["agent"]
    EVALUATIONS_BY_ROUTE = ["agent","route","evaluator"]
    EVALUATIONS_BY_AGENT_MODEL = ["agent","model","evaluator"]
    REJECTIONS_BY_REASON = ["reason"]

RECORD_TYPES = {"AI_CALL":"ai_call","AGENT_SESSION":"agent_session","RETRIEVAL":"retrieval","EVALUATION":"evaluation","TELEMETRY_REJECTION":"telemetry_rejection"}
OUTCOMES = {"OK":"ok","MODEL_ERROR":"model_error","APP_ERROR":"app_error","THROTTLED":"throttled"}
REJECTION_REASONS = {"MISSING_FIELD":"missing_field","INVALID_DIMENSION":"invalid_dimension","INVALID_NUMBER":"invalid_number","UNKNOWN_MODEL":"unknown_model","INVALID_OUTCOME":"invalid_outcome","INVALID_TIMESTAMP":"invalid_timestamp","INVALID_VERDICT":"invalid_verdict","INVALID_SOURCE":"invalid_source","TRUNCATED":"truncated","INTERNAL_ERROR":"internal_error"}

# Dimension sets of a model call, in the order they are written
CALL_DIMENSION_SETS = [["agent","route"],["agent","model"],["agent"],["model"],[]]

# Effective-dated list prices, USD per million tokens
PRICES = [{"vendor":"anthropic","modelId":"claude-opus-4-5","effectiveFrom":"2025-11-24","prices":{"input":5,"output":25,"cacheRead":0.5,"cacheWrite5m":6.25,"cacheWrite1h":10},"longContext":None},{"vendor":"anthropic","modelId":"claude-opus-4-6","effectiveFrom":"2026-02-05","prices":{"input":5,"output":25,"cacheRead":0.5,"cacheWrite5m":6.25,"cacheWrite1h":10},"longContext":None},{"vendor":"anthropic","modelId":"claude-sonnet-4-5","effectiveFrom":"2025-09-29","prices":{"input":3,"output":15,"cacheRead":0.3,"cacheWrite5m":3.75,"cacheWrite1h":6},"longContext":{"aboveInputTokens":200000,"prices":{"input":6,"output":22.5,"cacheRead":0.6,"cacheWrite5m":7.5,"cacheWrite1h":12}}},{"vendor":"anthropic","modelId":"claude-sonnet-4-6","effectiveFrom":"2026-02-17","prices":{"input":3,"output":15,"cacheRead":0.3,"cacheWrite5m":3.75,"cacheWrite1h":6},"longContext":None},{"vendor":"anthropic","modelId":"claude-haiku-4-5","effectiveFrom":"2025-10-15","prices":{"input":1,"output":5,"cacheRead":0.1,"cacheWrite5m":1.25,"cacheWrite1h":2},"longContext":None},{"vendor":"openai","modelId":"gpt-5","effectiveFrom":"2025-08-07","prices":{"input":1.25,"output":10,"cacheRead":0.125},"longContext":None},{"vendor":"openai","modelId":"gpt-5-mini","effectiveFrom":"2025-08-07","prices":{"input":0.25,"output":2,"cacheRead":0.025},"longContext":None},{"vendor":"openai","modelId":"gpt-5-nano","effectiveFrom":"2025-08-07","prices":{"input":0.05,"output":0.4,"cacheRead":0.005},"longContext":None},{"vendor":"google","modelId":"gemini-2.5-pro","effectiveFrom":"2025-06-17","prices":{"input":1.25,"output":10,"cacheRead":0.125},"longContext":{"aboveInputTokens":200000,"prices":{"input":2.5,"output":15,"cacheRead":0.25}}},{"vendor":"google","modelId":"gemini-2.5-flash","effectiveFrom":"2025-06-17","prices":{"input":0.3,"output":2.5,"cacheRead":0.03},"longContext":None},{"vendor":"google","modelId":"gemini-2.5-flash-lite","effectiveFrom":"2025-07-22","prices":{"input":0.1,"output":0.4,"cacheRead":0.01},"longContext":None}]
