"""The pure core of the Python helper: record in, EMF lines and rejections out.

It follows lib/telemetry/runtime/lines.ts rule for rule; the shared conformance vectors
(conformance/telemetry/*.json) hold the two to the same output. Nothing here raises on bad input:
every problem becomes a counted rejection and the line keeps what is valid.
"""
import json
import math
import re
from datetime import datetime, timezone

from .contract import CALL_DIMENSION_SETS, D, DEFAULT_NAMESPACE, F, M, OUTCOMES, PRICES, RECORD_TYPES, REJECTION_REASONS, SCHEMA_VERSION

UNKNOWN = "unknown"
MAX_TEXT_LENGTH = 1024
MAX_DETAIL_LENGTH = 1024
MAX_SAFE_INTEGER = 2 ** 53 - 1
MAX_AGE_MS = 14 * 24 * 3600 * 1000
MAX_AHEAD_MS = 2 * 3600 * 1000
MAX_INVALID_FIELDS = 8
_DIMENSION = re.compile(r"^[\x20-\x7e]{0,249}[\x21-\x7e][\x20-\x7e]{0,249}$")
_OUTCOME_VALUES = list(OUTCOMES.values())
R = {key: value for key, value in REJECTION_REASONS.items()}
_MISSING = object()


def js_number(value):
    """A number as JavaScript prints it: integral floats without a fraction."""
    if isinstance(value, float) and value.is_integer() and abs(value) <= MAX_SAFE_INTEGER:
        return int(value)
    return value


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _read(source, field):
    """A field of a dict or an object; _MISSING when absent or when reading it raises."""
    try:
        if isinstance(source, dict):
            return source.get(field, _MISSING)
        return getattr(source, field, _MISSING)
    except Exception:  # noqa: BLE001 - a hostile mapping or property must not fail the caller
        return _MISSING


class Reader:
    """Collects rejections while reading one record."""

    def __init__(self, record, now):
        self.record = record if record is not None else {}
        self.now = now
        self.rejections = []

    def get(self, field):
        try:
            if isinstance(self.record, dict):
                return self.record.get(field, _MISSING)
            return getattr(self.record, field, _MISSING)
        except Exception:  # noqa: BLE001
            self.reject("MISSING_FIELD", f"{field} could not be read (its getter threw)")
            return _MISSING

    def dimension(self, field):
        value = self.get(field)
        if value is _MISSING or value is None or value == "":
            self.reject("MISSING_FIELD", f"{field} is missing")
            return UNKNOWN
        if not isinstance(value, str) or len(value) > 250 or not _DIMENSION.match(value):
            self.reject("INVALID_DIMENSION", f"{field} must be 1 to 250 printable ASCII characters, not all spaces")
            return UNKNOWN
        return value

    def text(self, field, required=False):
        value = self.get(field)
        if value is _MISSING or value is None or value == "":
            if required:
                self.reject("MISSING_FIELD", f"{field} is missing")
            return None
        if not isinstance(value, str):
            self.reject("MISSING_FIELD", f"{field} must be a string")
            return None
        if len(value) > MAX_TEXT_LENGTH:
            self.reject("TRUNCATED", f"{field} was cut to its first {MAX_TEXT_LENGTH} characters")
            return value[:MAX_TEXT_LENGTH]
        return value

    def number(self, field, required=False, maximum=MAX_SAFE_INTEGER):
        value = self.get(field)
        if value is _MISSING or value is None:
            if required:
                self.reject("MISSING_FIELD", f"{field} is missing")
            return None
        if not _is_number(value) or not math.isfinite(value) or value < 0 or value > maximum:
            self.reject("INVALID_NUMBER", f"{field} must be a number from 0 to {js_number(maximum)}")
            return None
        return js_number(value)

    def outcome(self):
        value = self.get("outcome")
        if value is _MISSING:
            return OUTCOMES["OK"]
        if isinstance(value, str) and value in _OUTCOME_VALUES:
            return value
        self.reject("INVALID_OUTCOME", f"outcome must be one of {', '.join(_OUTCOME_VALUES)}")
        return None

    def timestamp(self):
        value = self.get("timestamp")
        if value is _MISSING:
            return self.now
        ms = value
        if isinstance(value, datetime):
            when = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
            ms = when.timestamp() * 1000
        if not _is_number(ms) or not math.isfinite(ms) or ms < self.now - MAX_AGE_MS or ms > self.now + MAX_AHEAD_MS:
            self.reject("INVALID_TIMESTAMP", "timestamp must be within the last 14 days and at most 2 hours ahead; now was used")
            return self.now
        return int(math.floor(ms))

    def invalid_provider_fields(self):
        value = self.get("invalidFields")
        if value is _MISSING or value is None:
            return
        if not isinstance(value, (list, tuple)):
            self.reject("INVALID_NUMBER", "invalidFields must be a list of field names")
            return
        for name in list(value)[:MAX_INVALID_FIELDS]:
            field = name if isinstance(name, str) and _DIMENSION.match(name) else "a field"
            self.reject("INVALID_NUMBER", f"{field} of the provider's response was not a token count; 0 was used")

    def reject(self, reason, detail):
        self.rejections.append((R[reason], detail))


def _line(timestamp, dimension_sets, metrics, properties):
    return {
        "timestamp": timestamp,
        "dimensionSets": dimension_sets,
        "metrics": [(name, unit, value) for (name, unit), value in metrics if value is not None],
        "properties": {key: value for key, value in properties if value is not None},
    }


def rejection_lines(rejections, record_type, agent, timestamp):
    by_reason = {}
    for reason, detail in rejections:
        details = by_reason.setdefault(reason, [])
        if detail not in details:
            details.append(detail)
    lines = []
    for reason, details in by_reason.items():
        detail = f"{record_type}: {'; '.join(details)}"
        if len(detail) > MAX_DETAIL_LENGTH:
            detail = detail[: MAX_DETAIL_LENGTH - 3] + "..."
        lines.append(_line(timestamp, [{F.REASON: reason}], [(M.TELEMETRY_REJECTED, 1)], [
            (F.RECORD_TYPE, RECORD_TYPES["TELEMETRY_REJECTION"]),
            (F.SCHEMA_VERSION, SCHEMA_VERSION),
            (F.AGENT, agent),
            (F.DETAIL, detail),
        ]))
    return lines


# --- prices (the rules of lib/pricing/price-catalog.ts and lib/telemetry/runtime/model-ids.ts) ---

_BEDROCK_ARN = re.compile(r"^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(?:inference-profile|foundation-model)/(.+)$")
_VERTEX_RESOURCE = re.compile(r"^(?:projects/[^/]+/locations/[^/]+/)?publishers/[^/]+/models/(.+)$")
_VERTEX_VERSION = re.compile(r"@[\w.-]+$")
_GEO = re.compile(r"^(us|us-gov|eu|apac|jp|au|ca|global)\.")
_VENDOR = re.compile(r"^(anthropic|openai|google)\.")
_VERSION = re.compile(r"-v\d+(:\d+)?$")
_DATE = re.compile(r"-(\d{8}|\d{4}-\d{2}-\d{2})$")
_GEMINI_RESOURCE = re.compile(r"^models/")


def canonical_model_id(model):
    model_id = model.strip()
    arn = _BEDROCK_ARN.match(model_id)
    if arn:
        model_id = arn.group(1)
    vertex = _VERTEX_RESOURCE.match(model_id)
    if vertex:
        model_id = vertex.group(1)
    model_id = _VERTEX_VERSION.sub("", model_id).strip().lower()
    for pattern in (_GEO, _VENDOR, _GEMINI_RESOURCE, _VERSION, _DATE):
        model_id = pattern.sub("", model_id, count=1)
    return model_id


_BY_MODEL = {}
for _price in PRICES:
    _BY_MODEL.setdefault(_price["modelId"], []).append(_price)
for _list in _BY_MODEL.values():
    _list.sort(key=lambda p: p["effectiveFrom"], reverse=True)


def cost_of(model, timestamp_ms, input_tokens, output_tokens, cache_read, cache_write, cache_write_1h, overrides):
    """(costUsd, priceVersion, priced) as PriceCatalog.costOf computes them."""
    model_id = canonical_model_id(model)
    day = datetime.fromtimestamp(timestamp_ms / 1000, tz=timezone.utc).strftime("%Y-%m-%d")
    override = next((o for o in overrides.get(model_id, []) if (o.get("effectiveFrom") or "") <= day), None)
    catalog = next((p for p in _BY_MODEL.get(model_id, []) if p["effectiveFrom"] <= day), None)
    long_context = None
    if override and override.get("prices"):
        prices = override["prices"]
        version = f"client/{model_id}@{override.get('effectiveFrom') or 'always'}"
    elif catalog:
        prices = catalog["prices"]
        long_context = catalog.get("longContext")
        version = f"{catalog['vendor']}/{catalog['modelId']}@{catalog['effectiveFrom']}"
    else:
        return 0, "unpriced", False
    if long_context and input_tokens + cache_read + cache_write > long_context["aboveInputTokens"]:
        prices = long_context["prices"]
        version += "+long-context"
    discount = override.get("discountPercent") if override else None
    if discount:
        factor = 1 - discount / 100
        prices = {key: value * factor for key, value in prices.items() if value is not None}
        version += f"-{js_number(discount)}%@{override.get('effectiveFrom') or 'always'}"
    write_1h = min(cache_write_1h, cache_write)
    read_price = prices.get("cacheRead", prices["input"])
    write_5m_price = prices.get("cacheWrite5m", prices["input"])
    write_1h_price = prices.get("cacheWrite1h", write_5m_price)
    dollars_times_million = (input_tokens * prices["input"] + output_tokens * prices["output"] + cache_read * read_price
                             + (cache_write - write_1h) * write_5m_price + write_1h * write_1h_price)
    return js_number(dollars_times_million / 1_000_000), version, True


# --- builders ---

def build_ai_call_lines(record, now, overrides=None):
    read = Reader(record, now)
    agent = read.dimension(F.AGENT)
    route = read.dimension(F.ROUTE)
    model = read.dimension(F.MODEL)
    read.invalid_provider_fields()
    timestamp = read.timestamp()
    outcome = read.outcome()
    input_tokens = read.number(M.INPUT_TOKENS[0], required=True)
    output_tokens = read.number(M.OUTPUT_TOKENS[0], required=True)
    cache_read = read.number(M.CACHE_READ_TOKENS[0])
    cache_read = 0 if cache_read is None else cache_read
    cache_write = read.number(M.CACHE_WRITE_TOKENS[0])
    cache_write = 0 if cache_write is None else cache_write
    cache_write_1h = read.number("cacheWrite1hTokens", maximum=cache_write)
    cache_write_1h = 0 if cache_write_1h is None else cache_write_1h
    latency = read.number(M.LATENCY_MS[0], required=True)
    ttft = read.number(M.TIME_TO_FIRST_TOKEN_MS[0])
    cost, price_version, priced = cost_of(model, timestamp, input_tokens or 0, output_tokens or 0, cache_read, cache_write, cache_write_1h, overrides or {})
    if not priced and model != UNKNOWN:
        read.reject("UNKNOWN_MODEL", "model has no price on the call's date: costUsd is 0, not a guess")

    def counter(match):
        return None if outcome is None else int(outcome == match)

    values = {F.AGENT: agent, F.ROUTE: route, F.MODEL: model}
    line = _line(timestamp, [{name: values[name] for name in names} for names in CALL_DIMENSION_SETS], [
        (M.CALLS, 1),
        (M.MODEL_ERRORS, counter(OUTCOMES["MODEL_ERROR"])),
        (M.APP_ERRORS, counter(OUTCOMES["APP_ERROR"])),
        (M.THROTTLES, counter(OUTCOMES["THROTTLED"])),
        (M.LATENCY_MS, latency),
        (M.TIME_TO_FIRST_TOKEN_MS, ttft),
        (M.INPUT_TOKENS, input_tokens),
        (M.OUTPUT_TOKENS, output_tokens),
        (M.CACHE_READ_TOKENS, cache_read),
        (M.CACHE_WRITE_TOKENS, cache_write),
        (M.COST_USD, cost),
    ], [
        (F.RECORD_TYPE, RECORD_TYPES["AI_CALL"]),
        (F.SCHEMA_VERSION, SCHEMA_VERSION),
        (F.TENANT, read.text(F.TENANT, True)),
        (F.PROVIDER, read.text(F.PROVIDER, True)),
        (F.OPERATION, read.text(F.OPERATION) or "chat"),
        (F.OUTCOME, outcome),
        (F.PRICE_VERSION, price_version),
        (F.TOTAL_TOKENS, js_number((input_tokens or 0) + (output_tokens or 0) + cache_read + cache_write)),
        (F.SESSION_ID, read.text(F.SESSION_ID)),
        (F.REQUEST_ID, read.text(F.REQUEST_ID)),
        (F.VARIANT, read.text(F.VARIANT)),
    ])
    return [line] + rejection_lines(read.rejections, RECORD_TYPES["AI_CALL"], agent, timestamp), read.rejections


def build_agent_session_lines(record, now):
    read = Reader(record, now)
    agent = read.dimension(F.AGENT)
    timestamp = read.timestamp()
    outcome = read.outcome()
    steps = read.number("steps", required=True)
    tokens = read.number("tokens", required=True)
    cost = read.number(M.COST_USD[0], required=True)
    session_id = read.text(F.SESSION_ID, True)
    tool_lines = []
    total_tool_calls = 0
    tool_calls = read.get("toolCalls")
    entries = []
    if tool_calls is not _MISSING and tool_calls is not None:
        if isinstance(tool_calls, dict):
            entries = list(tool_calls.items())
        else:
            read.reject("MISSING_FIELD", "toolCalls must be a map of tool name to call count")
    for tool, count in entries:
        calls = Reader({"tool": tool, "count": count}, now)
        tool_name = calls.dimension(F.TOOL)
        value = calls.number("count")
        read.rejections.extend((reason, f"toolCalls: {detail}") for reason, detail in calls.rejections)
        if value is None or tool_name == UNKNOWN:
            continue
        total_tool_calls += value
        tool_lines.append(_line(timestamp, [{F.AGENT: agent, F.TOOL: tool_name}], [(M.TOOL_CALLS, value)], [
            (F.RECORD_TYPE, RECORD_TYPES["AGENT_SESSION"]),
            (F.SCHEMA_VERSION, SCHEMA_VERSION),
            (F.SESSION_ID, session_id),
        ]))
    session = _line(timestamp, [{F.AGENT: agent}], [
        (M.SESSIONS, 1),
        (M.SESSION_FAILURES, None if outcome is None else int(outcome != OUTCOMES["OK"])),
        (M.SESSION_STEPS, steps),
        (M.SESSION_TOOL_CALLS, js_number(total_tool_calls)),
        (M.SESSION_TOKENS, tokens),
        (M.SESSION_COST_USD, cost),
    ], [
        (F.RECORD_TYPE, RECORD_TYPES["AGENT_SESSION"]),
        (F.SCHEMA_VERSION, SCHEMA_VERSION),
        (F.ROUTE, read.text(F.ROUTE)),
        (F.TENANT, read.text(F.TENANT, True)),
        (F.SESSION_ID, session_id),
        (F.OUTCOME, outcome),
        (F.VARIANT, read.text(F.VARIANT)),
    ])
    return [session] + tool_lines + rejection_lines(read.rejections, RECORD_TYPES["AGENT_SESSION"], agent, timestamp), read.rejections


def build_retrieval_lines(record, now):
    read = Reader(record, now)
    agent = read.dimension(F.AGENT)
    timestamp = read.timestamp()
    cache_hit = None
    raw = read.get("cacheHit")
    if raw is not _MISSING:
        if isinstance(raw, bool):
            cache_hit = int(raw)
        else:
            read.reject("INVALID_NUMBER", "cacheHit must be true or false")
    metrics = [
        (M.RETRIEVALS, 1),
        (M.RETRIEVAL_HITS, read.number("hits", required=True)),
        (M.RETRIEVAL_RECALL_AT_K, read.number("recallAtK", maximum=1)),
        (M.RETRIEVAL_PRECISION_AT_K, read.number("precisionAtK", maximum=1)),
        (M.RETRIEVAL_INDEX_AGE_HOURS, read.number("indexAgeHours")),
        (M.RETRIEVAL_CACHE_HITS, cache_hit),
    ]
    line = _line(timestamp, [{name: agent for name in D.RETRIEVALS_BY_AGENT}], metrics, [
        (F.RECORD_TYPE, RECORD_TYPES["RETRIEVAL"]),
        (F.SCHEMA_VERSION, SCHEMA_VERSION),
        (F.ROUTE, read.text(F.ROUTE)),
        (F.TENANT, read.text(F.TENANT, True)),
        (F.TOP_K, read.number("k")),
    ])
    return [line] + rejection_lines(read.rejections, RECORD_TYPES["RETRIEVAL"], agent, timestamp), read.rejections


# --- EMF ---

_directives = {}


def serialize_emf(line, namespace=DEFAULT_NAMESPACE):
    """One EMF document, keys in the Node helper's order; the directive serialized once per shape."""
    sets = line["dimensionSets"]
    key = (namespace, tuple(tuple(s) for s in sets), tuple((name, unit) for name, unit, _ in line["metrics"]))
    directive = _directives.get(key)
    if directive is None:
        if len(_directives) >= 256:
            _directives.clear()
        directive = json.dumps([{
            "Namespace": namespace,
            "Dimensions": [list(s) for s in sets],
            "Metrics": [{"Name": name, "Unit": unit} for name, unit, _ in line["metrics"]],
        }], separators=(",", ":"), ensure_ascii=False)
        _directives[key] = directive
    document = {}
    document.update(line["properties"])
    for dimension_set in sets:
        for name, value in dimension_set.items():
            document.setdefault(name, value)
    for name, _unit, value in line["metrics"]:
        document[name] = value
    body = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    head = '{"_aws":{"Timestamp":%d,"CloudWatchMetrics":%s}' % (line["timestamp"], directive)
    return head + ("," + body[1:] if len(body) > 2 else "}")
