import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import * as YAML from 'yaml';
import { CLIENT_CONFIG_SCHEMA_FILE, clientConfigJsonSchema } from '../../lib/config/json-schema';

const ROOT = path.join(__dirname, '..', '..');
const published = JSON.parse(fs.readFileSync(path.join(ROOT, CLIENT_CONFIG_SCHEMA_FILE), 'utf8'));

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(published);
}

describe('docs/client-config.schema.json', () => {
  test('is the schema the loader enforces (regenerate with `npx projen schema`)', () => {
    expect(published).toEqual(JSON.parse(JSON.stringify(clientConfigJsonSchema())));
  });

  test('accepts every committed client config', () => {
    const validate = validator();
    for (const file of fs.readdirSync(path.join(ROOT, 'clients')).filter((f) => f.endsWith('.yaml'))) {
      const config = YAML.parse(fs.readFileSync(path.join(ROOT, 'clients', file), 'utf8'));
      expect({ file, valid: validate(config), errors: validate.errors }).toEqual({ file, valid: true, errors: null });
    }
  });

  test('rejects unknown keys and a negative budget, as the loader does, without running its code', () => {
    const validate = validator();
    const config = YAML.parse(fs.readFileSync(path.join(ROOT, 'clients', 'example.yaml'), 'utf8'));
    config.budgets.monthlyUsd = -5;
    config.agents[0].owner.pager = 'x';
    expect(validate(config)).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.keyword}`)).toEqual(expect.arrayContaining([
      '/budgets/monthlyUsd exclusiveMinimum',
      '/agents/0/owner additionalProperties',
    ]));
  });
});
