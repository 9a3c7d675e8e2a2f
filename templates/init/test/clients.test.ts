/*
 * Every client's stacks, whole (nested stacks included), as snapshots: a change of a config or of
 * the cdk-ai-ops version shows up here for review. Update with `npx jest -u` once reviewed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { alarmNamesByKindAndSeverity, stableTemplates, synthesizeClient } from 'cdk-ai-ops/testing';

const CLIENTS_DIR = path.join(__dirname, '..', 'clients');
const clientFiles = fs.readdirSync(CLIENTS_DIR).filter((file) => file.endsWith('.yaml'));

describe.each(clientFiles)('%s', (file) => {
  const client = synthesizeClient(path.join(CLIENTS_DIR, file), { nagPacks: true });

  test('its stacks, whole', () => {
    expect(stableTemplates(client.stack)).toMatchSnapshot();
  });

  test('its alarms by kind and severity', () => {
    expect(alarmNamesByKindAndSeverity(client.stack)).toMatchSnapshot();
  });
});
