"""cdk-ai-ops telemetry for Python agents: the same CloudWatch EMF contract as `cdk-ai-ops/telemetry`, standard library only."""
from .core import serialize_emf
from .telemetry import (
    AiTelemetry, atrack_ai_call, from_anthropic_message, from_bedrock_converse, from_openai_chat_completion, outcome_of_error,
    record_agent_session, record_ai_call, record_retrieval, track_ai_call, track_converse_stream,
)

__all__ = [
    "AiTelemetry", "atrack_ai_call", "from_anthropic_message", "from_bedrock_converse", "from_openai_chat_completion", "outcome_of_error",
    "record_agent_session", "record_ai_call", "record_retrieval", "serialize_emf", "track_ai_call", "track_converse_stream",
]
