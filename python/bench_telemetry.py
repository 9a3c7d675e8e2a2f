"""One Python benchmark run for `npm run bench:telemetry`: per-call time of `record_ai_call` (helper) or of a bare
json.dumps + write of the very same line (floor), stdout on /dev/null. Prints one JSON result."""
import json
import sys
import time

from cdk_ai_ops_telemetry import AiTelemetry

CALL = {
    "agent": "answer", "route": "draft-reply", "tenant": "tenant-4711", "provider": "aws.bedrock",
    "model": "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "inputTokens": 1200, "outputTokens": 350,
    "cacheReadTokens": 8000, "cacheWriteTokens": 1500, "latencyMs": 2870, "timeToFirstTokenMs": 640,
    "sessionId": "c0ffee-42", "requestId": "req_01J9",
}


def main(variant, calls, out):
    captured = []
    AiTelemetry(write=captured.append).record_ai_call(CALL)
    from cdk_ai_ops_telemetry import serialize_emf
    document = json.loads(serialize_emf(captured[0]))
    telemetry = AiTelemetry()
    if variant == "helper":
        def operation():
            telemetry.record_ai_call(CALL)
    else:
        write = sys.stdout.write

        def operation():
            write(json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n")
    for _ in range(5000):
        operation()
    durations = []
    clock = time.perf_counter_ns
    for _ in range(calls):
        start = clock()
        operation()
        durations.append(clock() - start)
    durations.sort()
    out.write(json.dumps({"variant": variant, "medianUs": durations[calls // 2] / 1000, "p99Us": durations[int(calls * 0.99)] / 1000}))


if __name__ == "__main__":
    with open(sys.argv[3], "w") as result:
        main(sys.argv[1], int(sys.argv[2]), result)
