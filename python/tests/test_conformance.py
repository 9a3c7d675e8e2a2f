"""The shared conformance vectors: the Python helper writes, for each input record, the very lines the Node helper writes."""
import json
import pathlib
import unittest

from cdk_ai_ops_telemetry import AiTelemetry, serialize_emf

VECTORS = sorted((pathlib.Path(__file__).resolve().parents[2] / "conformance" / "telemetry").glob("*.json"))


def lines_of(vector):
    written = []
    telemetry = AiTelemetry(namespace=vector["namespace"], price_overrides=vector.get("priceOverrides", []),
                            warn=lambda message: None, clock=lambda: vector["now"], write=written.append)
    record = {"ai_call": telemetry.record_ai_call, "agent_session": telemetry.record_agent_session, "retrieval": telemetry.record_retrieval}[vector["record"]]
    record(vector["input"])
    return [serialize_emf(line, vector["namespace"]) for line in written]


class ConformanceTest(unittest.TestCase):
    def test_there_are_vectors(self):
        self.assertGreaterEqual(len(VECTORS), 10)

    def test_every_vector(self):
        for path in VECTORS:
            vector = json.loads(path.read_text())
            with self.subTest(vector=path.name):
                texts = lines_of(vector)
                # byte for byte modulo key order: the same canonical JSON text
                canonical = lambda doc: json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                self.assertEqual([canonical(json.loads(t)) for t in texts], [canonical(doc) for doc in vector["expected"]])


if __name__ == "__main__":
    unittest.main()
