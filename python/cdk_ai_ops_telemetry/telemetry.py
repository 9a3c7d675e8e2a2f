"""Recording, tracking and provider adapters: the Python twin of `cdk-ai-ops/telemetry`.

Standard library only. Every public function returns or records and never raises into the caller;
`track_ai_call` returns the caller's result or re-raises the caller's own exception, and writes its line.
"""
import json
import os
import re
import sys
import time

from . import core
from .contract import DEFAULT_NAMESPACE, OUTCOMES, M

NAMESPACE_ENV = "CDK_AI_OPS_NAMESPACE"
PRICE_OVERRIDES_ENV = "CDK_AI_OPS_PRICE_OVERRIDES"
_NAMESPACE = re.compile(r"^[A-Za-z0-9.\-_/#: ]{1,255}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _warn_default(message):
    print(message, file=sys.stderr)


def _valid_namespace(value, origin, warnings):
    if value is None:
        return DEFAULT_NAMESPACE
    problem = None
    if not isinstance(value, str) or value.strip() == "":
        problem = "is blank"
    elif not _NAMESPACE.match(value):
        problem = "is not a valid CloudWatch namespace"
    elif value.lower().startswith("aws/"):
        problem = "starts with AWS/, which CloudWatch reserves for AWS services"
    if problem:
        warnings.append(f"cdk-ai-ops telemetry: {origin} {problem}; metrics go to the {DEFAULT_NAMESPACE} namespace. "
                        "Set it to the client config's metricNamespace (1 to 255 letters, digits or . - _ / # : and spaces).")
        return DEFAULT_NAMESPACE
    return value


def _price_ok(value, optional):
    return (optional and value is None) or (core._is_number(value) and 0 <= value <= 10_000)


def _override_problem(entry):
    if not isinstance(entry, dict):
        return "is not an object"
    if not isinstance(entry.get("modelId"), str) or entry["modelId"].strip() == "":
        return "has no modelId"
    if entry.get("discountPercent") is None and entry.get("prices") is None:
        return "has neither discountPercent nor prices"
    discount = entry.get("discountPercent")
    if discount is not None and not (core._is_number(discount) and 0 <= discount <= 100):
        return "has a discountPercent outside 0 to 100"
    prices = entry.get("prices")
    if prices is not None and not (isinstance(prices, dict) and _price_ok(prices.get("input"), False) and _price_ok(prices.get("output"), False)
                                   and all(_price_ok(prices.get(k), True) for k in ("cacheRead", "cacheWrite5m", "cacheWrite1h"))):
        return "has prices that are not numbers from 0 to 10000 (input and output required)"
    day = entry.get("effectiveFrom")
    if day is not None and not (isinstance(day, str) and _DAY.match(day)):
        return "has an effectiveFrom that is not a YYYY-MM-DD day"
    return None


def _valid_overrides(value, origin, warnings):
    """Usable overrides keyed by canonical model id, newest first; unusable entries dropped with a warning."""
    if value is None:
        return {}
    if not isinstance(value, list):
        warnings.append(f"cdk-ai-ops telemetry: {origin} is not a list of price overrides; list prices are used")
        return {}
    by_model = {}
    for index, entry in enumerate(value):
        problem = _override_problem(entry)
        if problem:
            warnings.append(f"cdk-ai-ops telemetry: {origin}[{index}] {problem}; it is ignored and that model is costed at list price")
            continue
        by_model.setdefault(core.canonical_model_id(entry["modelId"]), []).append(dict(entry))
    for entries in by_model.values():
        entries.sort(key=lambda o: o.get("effectiveFrom") or "", reverse=True)
    return by_model


class AiTelemetry:
    """Writes one EMF line per record to stdout (or `write`), at once; never raises into the caller."""

    def __init__(self, namespace=None, price_overrides=None, warn=None, clock=None, write=None):
        self._warn_to = warn if callable(warn) else _warn_default
        self._clock = clock if callable(clock) else (lambda: time.time() * 1000)
        self._warned = set()
        warnings = []
        if namespace is not None:
            self.namespace = _valid_namespace(namespace, "the namespace option", warnings)
        else:
            self.namespace = _valid_namespace(os.environ.get(NAMESPACE_ENV), f"${NAMESPACE_ENV}", warnings)
        if price_overrides is not None:
            self._overrides = _valid_overrides(price_overrides, "the price_overrides option", warnings)
        else:
            text = os.environ.get(PRICE_OVERRIDES_ENV, "")
            parsed = None
            if text.strip():
                try:
                    parsed = json.loads(text)
                except ValueError:
                    warnings.append(f"cdk-ai-ops telemetry: {PRICE_OVERRIDES_ENV} is not JSON; list prices are used")
            self._overrides = _valid_overrides(parsed, PRICE_OVERRIDES_ENV, warnings)
        for message in warnings:
            self._warn(message)
        self._write = write if callable(write) else self._stdout

    def now(self):
        try:
            value = self._clock()
            if core._is_number(value) and value == value and value not in (float("inf"), float("-inf")):
                return int(value // 1)
        except Exception:  # noqa: BLE001
            pass
        return int(time.time() * 1000)

    def record_ai_call(self, call=None, **fields):
        """Records one model call (a dict, or keyword arguments with the contract's field names)."""
        record = _merged(call, fields)
        self._emit("ai_call", lambda now: core.build_ai_call_lines(record, now, self._overrides))

    def record_agent_session(self, session=None, **fields):
        record = _merged(session, fields)
        self._emit("agent_session", lambda now: core.build_agent_session_lines(record, now))

    def record_retrieval(self, retrieval=None, **fields):
        record = _merged(retrieval, fields)
        self._emit("retrieval", lambda now: core.build_retrieval_lines(record, now))

    def track_ai_call(self, call, invoke, usage_of=None):
        """Runs `invoke()`, times it, records it, and returns its result (or re-raises its exception unchanged)."""
        started = self.now()
        try:
            result = invoke()
        except BaseException as error:
            self.record_failure(call, started, error)
            raise
        self.record_success(call, started, self.now() - started, lambda: usage_of(result) if callable(usage_of) else None)
        return result

    async def atrack_ai_call(self, call, invoke, usage_of=None):
        """`track_ai_call` for coroutines: `invoke` returns an awaitable."""
        started = self.now()
        try:
            result = await invoke()
        except BaseException as error:
            self.record_failure(call, started, error)
            raise
        self.record_success(call, started, self.now() - started, lambda: usage_of(result) if callable(usage_of) else None)
        return result

    def track_converse_stream(self, call, response):
        """Wraps a boto3 `converse_stream` response: `response["stream"]` yields the very same events, recorded at its end."""
        started = self.now()
        try:
            stream = response["stream"]
        except Exception:  # noqa: BLE001
            self.record_success(call, started, 0, lambda: None)
            return response
        wrapped = dict(response)
        wrapped["stream"] = self._observe(call, started, stream)
        return wrapped

    def _observe(self, call, started, stream):
        usage = {"provider": "aws.bedrock"}
        first = None
        try:
            for event in stream:
                try:
                    if first is None and isinstance(event, dict) and "contentBlockDelta" in event:
                        first = self.now()
                    if isinstance(event, dict) and "metadata" in event:
                        usage.update(from_bedrock_converse(event))
                except Exception:  # noqa: BLE001
                    pass
                yield event
        except BaseException as error:
            self.record_failure(call, started, error, usage)
            raise
        if first is not None:
            usage["timeToFirstTokenMs"] = first - started
        self.record_success(call, started, self.now() - started, lambda: usage)

    def record_failure(self, call, started, error, partial=None):
        context = _context(call)
        record = {"inputTokens": 0, "outputTokens": 0}
        record.update(partial or {})
        record.update(context)
        record.update(provider=context.get("provider") or (partial or {}).get("provider") or provider_of_model(context.get("model")) or core.UNKNOWN,
                      latencyMs=self.now() - started, timestamp=started, outcome=outcome_of_error(error))
        self.record_ai_call(record)

    def record_success(self, call, started, latency_ms, read_usage):
        context = _context(call)
        usage = {}
        try:
            value = read_usage()
            if isinstance(value, dict):
                usage = {k: v for k, v in value.items() if k in _USAGE_KEYS}
        except Exception as error:  # noqa: BLE001
            self._warn_once("internal", f"cdk-ai-ops telemetry: could not read usage from a response ({error}); the call is recorded without tokens")
        record = dict(usage)
        record.update(context)
        record.update(provider=context.get("provider") or usage.get("provider") or provider_of_model(context.get("model")) or core.UNKNOWN,
                      latencyMs=latency_ms, timestamp=started, outcome=OUTCOMES["OK"])
        self.record_ai_call(record)

    def _emit(self, record_type, build):
        now = self.now()
        try:
            lines, rejections = build(now)
        except Exception as error:  # noqa: BLE001 - unreachable by design; still counted, never raised
            lines, rejections = core.rejection_lines([(core.R["INTERNAL_ERROR"], "the record could not be read")], record_type, core.UNKNOWN, now), []
            self._warn_once("internal_error", f"cdk-ai-ops telemetry: a record could not be written ({error})")
        for line in lines:
            try:
                self._write(line)
            except Exception as error:  # noqa: BLE001
                self._warn_once("internal", f"cdk-ai-ops telemetry: a record could not be written ({error})")
        for reason, detail in rejections:
            self._warn_once(reason, f"cdk-ai-ops telemetry: repaired a record ({reason}: {detail}); further records repaired for "
                                    f"{reason} are counted in the {M.TELEMETRY_REJECTED[0]} metric without a warning")

    def _stdout(self, line):
        sys.stdout.write(core.serialize_emf(line, self.namespace) + "\n")

    def _warn_once(self, key, message):
        if key in self._warned:
            return
        self._warned.add(key)
        self._warn(message)

    def _warn(self, message):
        try:
            self._warn_to(message)
        except Exception:  # noqa: BLE001
            pass


_BEDROCK_ID = re.compile(r"^(?:arn:aws[a-z-]*:bedrock:|(?:(?:us|us-gov|eu|apac|jp|au|ca|global)\.)?"
                         r"(?:anthropic|amazon|meta|mistral|cohere|ai21|deepseek|openai|qwen|writer)\.)")
_VERTEX_ID = re.compile(r"^(?:projects/|publishers/)|@")


def provider_of_model(model):
    """The provider a model id implies (the rules of lib/telemetry/runtime/model-ids.ts), or None."""
    if not isinstance(model, str):
        return None
    model_id = model.strip().lower()
    if _BEDROCK_ID.match(model_id):
        return "aws.bedrock"
    if _VERTEX_ID.search(model_id):
        return "gcp.vertex_ai"
    if model_id.startswith("claude-"):
        return "anthropic"
    if re.match(r"^(?:gpt-|o\d|chatgpt-|text-embedding-)", model_id):
        return "openai"
    if re.match(r"^(?:models/)?gemini-", model_id):
        return "gcp.gemini"
    return None


_CONTEXT_KEYS = ("agent", "route", "tenant", "provider", "model", "operation", "sessionId", "requestId", "variant")
_USAGE_KEYS = ("provider", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "cacheWrite1hTokens",
               "timeToFirstTokenMs", "requestId", "invalidFields")


def _context(call):
    out = {}
    for key in _CONTEXT_KEYS:
        value = core._read(call, key) if call is not None else core._MISSING
        if value is not core._MISSING and value is not None:
            out[key] = value
    return out


def _merged(record, fields):
    if record is None:
        return fields
    if fields and isinstance(record, dict):
        return dict(record, **fields)
    return record


# --- adapters: provider responses as dicts (boto3) or SDK objects (anthropic, openai) ---

def _at(value, *path):
    for key in path:
        if value is None:
            return None
        value = core._read(value, key)
        if value is core._MISSING:
            return None
    return value


class _Usage:
    def __init__(self, body):
        self.body = body
        self.invalid = []

    def count(self, *path):
        value = _at(self.body, *path)
        if value is None:
            return 0
        if core._is_number(value) and value == value and 0 <= value <= core.MAX_SAFE_INTEGER:
            return core.js_number(value)
        self.invalid.append(".".join(path))
        return 0

    def done(self, usage, request_id=None):
        if isinstance(request_id, str) and request_id:
            usage["requestId"] = request_id
        if self.invalid:
            usage["invalidFields"] = list(self.invalid)
        return usage


def from_bedrock_converse(response):
    """Usage of a boto3 `converse` response, or of the `metadata` event that ends a `converse_stream`."""
    metadata = _at(response, "metadata")
    body = metadata if metadata is not None else response
    read = _Usage(body)
    usage = {
        "provider": "aws.bedrock",
        "inputTokens": read.count("usage", "inputTokens"),
        "outputTokens": read.count("usage", "outputTokens"),
        "cacheReadTokens": read.count("usage", "cacheReadInputTokens"),
        "cacheWriteTokens": read.count("usage", "cacheWriteInputTokens"),
    }
    return read.done(usage, _at(response, "ResponseMetadata", "RequestId"))


def from_anthropic_message(message):
    """Usage of an Anthropic Messages response (the SDK's object or its dict)."""
    read = _Usage(message)
    usage = {
        "provider": "anthropic",
        "inputTokens": read.count("usage", "input_tokens"),
        "outputTokens": read.count("usage", "output_tokens"),
        "cacheReadTokens": read.count("usage", "cache_read_input_tokens"),
        "cacheWriteTokens": read.count("usage", "cache_creation_input_tokens"),
        "cacheWrite1hTokens": read.count("usage", "cache_creation", "ephemeral_1h_input_tokens"),
    }
    return read.done(usage, _at(message, "id"))


def from_openai_chat_completion(completion):
    """Usage of an OpenAI Chat Completions response; cached tokens are inside prompt_tokens there."""
    read = _Usage(completion)
    cached = read.count("usage", "prompt_tokens_details", "cached_tokens")
    usage = {
        "provider": "openai",
        "inputTokens": max(0, read.count("usage", "prompt_tokens") - cached),
        "outputTokens": read.count("usage", "completion_tokens"),
        "cacheReadTokens": cached,
        "cacheWriteTokens": 0,
    }
    return read.done(usage, _at(completion, "id"))


_THROTTLE = re.compile(r"^(ThrottlingException|TooManyRequestsException|RateLimitError|ServiceQuotaExceededException)$")
_MODEL_ERROR = re.compile(r"^(ModelErrorException|ModelNotReadyException|ModelTimeoutException|ModelStreamErrorException|InternalServerException|"
                          r"ServiceUnavailableException|InternalServerError|APIConnectionError|APIConnectionTimeoutError|OverloadedError)$")


def outcome_of_error(error):
    """throttled for HTTP 429 and throttling errors, model_error for 5xx and provider errors, app_error otherwise."""
    try:
        name = type(error).__name__
        code = _at(error, "response", "Error", "Code")  # botocore ClientError
        if isinstance(code, str):
            name = code
        status = None
        for path in (("response", "ResponseMetadata", "HTTPStatusCode"), ("status_code",), ("status",)):
            value = _at(error, *path)
            if core._is_number(value):
                status = value
                break
        if status == 429 or _THROTTLE.match(name):
            return OUTCOMES["THROTTLED"]
        if (status is not None and 500 <= status <= 599) or _MODEL_ERROR.match(name):
            return OUTCOMES["MODEL_ERROR"]
    except Exception:  # noqa: BLE001
        pass
    return OUTCOMES["APP_ERROR"]


_shared = None


def _telemetry():
    global _shared
    if _shared is None:
        _shared = AiTelemetry()
    return _shared


def record_ai_call(call=None, **fields):
    _telemetry().record_ai_call(call, **fields)


def record_agent_session(session=None, **fields):
    _telemetry().record_agent_session(session, **fields)


def record_retrieval(retrieval=None, **fields):
    _telemetry().record_retrieval(retrieval, **fields)


def track_ai_call(call, invoke, usage_of=None):
    return _telemetry().track_ai_call(call, invoke, usage_of)


async def atrack_ai_call(call, invoke, usage_of=None):
    return await _telemetry().atrack_ai_call(call, invoke, usage_of)


def track_converse_stream(call, response):
    return _telemetry().track_converse_stream(call, response)
