"""The Python helper's API: recording, tracking (sync and async), boto3 ConverseStream, adapters, and hostile input."""
import asyncio
import io
import json
import os
import unittest
from contextlib import redirect_stdout
from unittest import mock

from cdk_ai_ops_telemetry import (
    AiTelemetry, from_anthropic_message, from_bedrock_converse, from_openai_chat_completion, outcome_of_error, serialize_emf,
)
from cdk_ai_ops_telemetry.contract import DEFAULT_NAMESPACE, F, M, OUTCOMES, REJECTION_REASONS

NOW = 1764417600000
CALL = {"agent": "answer", "route": "draft-reply", "tenant": "t-1", "model": "anthropic.claude-haiku-4-5-20251001-v1:0"}


def harness(clock=lambda: NOW):
    lines, warnings = [], []
    telemetry = AiTelemetry(namespace="Test", clock=clock, warn=warnings.append, write=lines.append)
    return telemetry, lines, warnings


def metric(line, definition):
    return next((value for name, _unit, value in line["metrics"] if name == definition[0]), None)


def reasons(lines):
    return [l["dimensionSets"][0][F.REASON] for l in lines if l["properties"][F.RECORD_TYPE] == "telemetry_rejection"]


class ThrottlingException(Exception):
    pass


class RecordTest(unittest.TestCase):
    def test_record_ai_call_writes_one_emf_line_to_stdout(self):
        out = io.StringIO()
        with redirect_stdout(out), mock.patch.dict(os.environ, {}, clear=False):
            AiTelemetry(namespace="Test", clock=lambda: NOW).record_ai_call(CALL, provider="aws.bedrock", inputTokens=420, outputTokens=96, latencyMs=880)
        doc = json.loads(out.getvalue())
        self.assertEqual(doc["_aws"]["CloudWatchMetrics"][0]["Namespace"], "Test")
        self.assertEqual(doc["_aws"]["Timestamp"], NOW)
        # Haiku 4.5: 420 x 1.00 + 96 x 5.00 = 900 USD per million
        self.assertAlmostEqual(doc[M.COST_USD[0]], 0.0009, places=12)

    def test_hostile_input_never_raises_and_is_counted(self):
        class Exploding:
            @property
            def agent(self):
                raise RuntimeError("getter")
        for record in (None, 42, "text", [], {"inputTokens": float("nan")}, {"agent": " "}, Exploding(), {"timestamp": object()}, {"outputTokens": True}):
            telemetry, lines, _ = harness()
            telemetry.record_ai_call(record)
            telemetry.record_agent_session(record)
            telemetry.record_retrieval(record)
            self.assertTrue(reasons(lines), record)
            for line in lines:
                json.loads(serialize_emf(line))

    def test_env_config_validated_once_with_a_warning(self):
        warnings = []
        with mock.patch.dict(os.environ, {"CDK_AI_OPS_NAMESPACE": "AWS/Bedrock", "CDK_AI_OPS_PRICE_OVERRIDES": "[null, {}]"}):
            telemetry = AiTelemetry(warn=warnings.append, write=lambda line: None)
        self.assertEqual(telemetry.namespace, DEFAULT_NAMESPACE)
        self.assertEqual(len(warnings), 3)
        self.assertIn("reserves for AWS services", warnings[0])


class TrackTest(unittest.TestCase):
    def test_returns_the_result_and_records_usage(self):
        telemetry, lines, _ = harness()
        response = {"usage": {"inputTokens": 100, "outputTokens": 20}, "ResponseMetadata": {"RequestId": "r-1"}}
        self.assertIs(telemetry.track_ai_call(CALL, lambda: response, from_bedrock_converse), response)
        self.assertEqual(metric(lines[0], M.INPUT_TOKENS), 100)
        self.assertEqual(lines[0]["properties"][F.REQUEST_ID], "r-1")

    def test_reraises_the_callers_own_exception_and_records_its_outcome(self):
        telemetry, lines, _ = harness()
        error = ThrottlingException("slow down")
        with self.assertRaises(ThrottlingException) as raised:
            telemetry.track_ai_call(CALL, lambda: (_ for _ in ()).throw(error))
        self.assertIs(raised.exception, error)
        self.assertEqual(lines[0]["properties"][F.OUTCOME], OUTCOMES["THROTTLED"])
        # the provider the model id implies, not "unknown"
        self.assertEqual(lines[0]["properties"][F.PROVIDER], "aws.bedrock")

    def test_the_variant_that_served_the_call_is_a_property_of_every_tracked_line_never_a_dimension(self):
        telemetry, lines, _ = harness()
        call = dict(CALL, variant="haiku-4-5@prompt-v3")
        telemetry.track_ai_call(call, lambda: {"usage": {"inputTokens": 1, "outputTokens": 1}}, from_bedrock_converse)
        with self.assertRaises(ThrottlingException):
            telemetry.track_ai_call(call, lambda: (_ for _ in ()).throw(ThrottlingException("slow down")))
        self.assertEqual([l["properties"][F.VARIANT] for l in lines], ["haiku-4-5@prompt-v3"] * 2)
        for line in lines:
            self.assertNotIn(F.VARIANT, [name for names in line["dimensionSets"] for name in names])

    def test_an_adapter_that_fails_or_returns_nothing_never_loses_the_result(self):
        telemetry, lines, _ = harness()
        self.assertEqual(telemetry.track_ai_call(None, lambda: "ok", lambda r: 1 / 0), "ok")
        self.assertEqual(telemetry.track_ai_call(CALL, lambda: "ok", lambda r: None), "ok")
        self.assertEqual(len([l for l in lines if l["properties"][F.RECORD_TYPE] == "ai_call"]), 2)

    def test_async(self):
        telemetry, lines, _ = harness()

        async def invoke():
            return {"id": "msg_1", "usage": {"input_tokens": 10, "output_tokens": 2}}

        async def failing():
            raise ValueError("bad")

        result = asyncio.run(telemetry.atrack_ai_call(CALL, invoke, from_anthropic_message))
        self.assertEqual(result["id"], "msg_1")
        with self.assertRaises(ValueError):
            asyncio.run(telemetry.atrack_ai_call(CALL, failing))
        self.assertEqual([l["properties"][F.OUTCOME] for l in lines if l["properties"][F.RECORD_TYPE] == "ai_call"], ["ok", "app_error"])

    def test_converse_stream_passes_events_through_and_records_at_the_end(self):
        now = [NOW]
        telemetry, lines, _ = harness(clock=lambda: now[0])
        events = [
            {"messageStart": {"role": "assistant"}},
            {"contentBlockDelta": {"delta": {"text": "Hi"}}},
            {"messageStop": {"stopReason": "end_turn"}},
            {"metadata": {"usage": {"inputTokens": 420, "outputTokens": 96}, "metrics": {"latencyMs": 880}}},
        ]

        def stream():
            for i, event in enumerate(events):
                now[0] = NOW + 100 * (i + 1)
                yield event

        response = telemetry.track_converse_stream(CALL, {"stream": stream(), "ResponseMetadata": {"RequestId": "r"}})
        self.assertEqual(lines, [])
        seen = list(response["stream"])
        self.assertEqual([id(e) for e in seen], [id(e) for e in events])
        line = lines[0]
        self.assertEqual([metric(line, M.INPUT_TOKENS), metric(line, M.OUTPUT_TOKENS), metric(line, M.TIME_TO_FIRST_TOKEN_MS), metric(line, M.LATENCY_MS)], [420, 96, 200, 400])
        self.assertAlmostEqual(metric(line, M.COST_USD), 0.0009, places=12)


class AdapterTest(unittest.TestCase):
    def test_openai_cached_tokens_are_taken_out_of_the_input(self):
        usage = from_openai_chat_completion({"id": "c", "usage": {"prompt_tokens": 1500, "completion_tokens": 200, "prompt_tokens_details": {"cached_tokens": 1000}}})
        self.assertEqual((usage["inputTokens"], usage["cacheReadTokens"], usage["outputTokens"]), (500, 1000, 200))

    def test_sdk_objects_as_well_as_dicts(self):
        class Usage:
            input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens = 5, 6, 7, 8
        class Message:
            id, usage = "msg", Usage()
        self.assertEqual(from_anthropic_message(Message())["cacheWriteTokens"], 8)

    def test_odd_responses_read_as_zero_and_listed(self):
        for adapter in (from_bedrock_converse, from_anthropic_message, from_openai_chat_completion):
            for response in (None, 1, "x", [], {"usage": None}):
                usage = adapter(response)
                self.assertEqual(usage["inputTokens"], 0)
        usage = from_bedrock_converse({"usage": {"inputTokens": -1, "outputTokens": 1e300}})
        self.assertEqual(usage["invalidFields"], ["usage.inputTokens", "usage.outputTokens"])

    def test_outcome_of_error(self):
        class ClientError(Exception):
            response = {"Error": {"Code": "ThrottlingException"}, "ResponseMetadata": {"HTTPStatusCode": 400}}
        class ServerError(Exception):
            status_code = 503
        self.assertEqual(outcome_of_error(ClientError()), OUTCOMES["THROTTLED"])
        self.assertEqual(outcome_of_error(ServerError()), OUTCOMES["MODEL_ERROR"])
        self.assertEqual(outcome_of_error(object()), OUTCOMES["APP_ERROR"])
        self.assertIn("truncated", REJECTION_REASONS.values())


if __name__ == "__main__":
    unittest.main()
