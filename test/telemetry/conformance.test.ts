/*
 * The shared conformance vectors (conformance/telemetry/*.json: input record -> expected EMF
 * lines) that the Node and the Python helpers must both pass, byte for byte modulo key order;
 * the Python side runs from here too, so CI runs both.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { AiTelemetry, EmfLine, serializeEmf } from '../../lib/telemetry/runtime';
import { PYTHON_CONTRACT_FILE, renderPythonContract } from '../../projenrc/python-contract';
import { PROJECT_ROOT } from '../support/example';

const FOLDER = path.join(PROJECT_ROOT, 'conformance', 'telemetry');
const vectors = fs.readdirSync(FOLDER).filter((file) => file.endsWith('.json')).sort();

/** JSON with sorted keys: equal texts mean equal documents, whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('conformance vectors', () => {
  test('cover every record the Python helper writes', () => {
    const records = new Set(vectors.map((file) => JSON.parse(fs.readFileSync(path.join(FOLDER, file), 'utf8')).record));
    expect([...records].sort()).toEqual(['agent_session', 'ai_call', 'retrieval']);
  });

  test.each(vectors)('the Node helper writes %s exactly', (file) => {
    const vector = JSON.parse(fs.readFileSync(path.join(FOLDER, file), 'utf8'));
    const lines: EmfLine[] = [];
    const telemetry = new AiTelemetry({
      namespace: vector.namespace,
      clock: () => vector.now,
      warn: () => undefined,
      write: (line) => lines.push(line),
      priceOverrides: vector.priceOverrides ?? [],
    });
    const record = {
      ai_call: telemetry.recordAiCall,
      agent_session: telemetry.recordAgentSession,
      retrieval: telemetry.recordRetrieval,
    }[vector.record as 'ai_call'];
    record.call(telemetry, vector.input);
    expect(lines.map((line) => canonical(JSON.parse(serializeEmf(line, vector.namespace))))).toEqual(vector.expected.map(canonical));
  });
});

describe('the Python helper', () => {
  test('its contract module is generated from the contract and the price catalog (regenerate with `npx projen python:contract`)', () => {
    expect(fs.readFileSync(PYTHON_CONTRACT_FILE, 'utf8')).toBe(renderPythonContract());
  });

  test('passes its own unit tests and the conformance vectors with the machine\'s python3', () => {
    const run = spawnSync('python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], {
      cwd: path.join(PROJECT_ROOT, 'python'),
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`python3 -m unittest failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    expect(run.stderr).toMatch(/Ran \d+ tests[\s\S]*OK/);
  });
});
