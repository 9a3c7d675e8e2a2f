import * as fs from 'fs';
import * as path from 'path';
import { ClientConfigLoader, CompliancePack } from '../../lib/config';
import { ClientConfigError } from '../../lib/config/loader';

const EXAMPLE_FILE = path.join(__dirname, '..', '..', 'clients', 'example.yaml');
const exampleLines = fs.readFileSync(EXAMPLE_FILE, 'utf8').split('\n');
const COMPLIANCE_LINE = exampleLines.findIndex((line) => line.startsWith('compliance:'));

/** The example with its `compliance:` line replaced (or removed, with `undefined`). */
function exampleWith(complianceLine: string | undefined): string {
  const lines = [...exampleLines];
  if (complianceLine === undefined) lines.splice(COMPLIANCE_LINE, 1);
  else lines[COMPLIANCE_LINE] = complianceLine;
  return lines.join('\n');
}

function errorOf(text: string): ClientConfigError {
  try {
    ClientConfigLoader.fromYaml(text, 'clients/bad.yaml');
  } catch (error) {
    if (error instanceof ClientConfigError) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('compliance: the cdk-nag compliance packs a client opts into', () => {
  test('the example opts into all three', () => {
    expect(COMPLIANCE_LINE).toBeGreaterThan(0);
    expect(ClientConfigLoader.fromFile(EXAMPLE_FILE).compliance).toEqual(['nist-800-53-r5', 'hipaa-security', 'pci-dss-3.2.1']);
  });

  test.each([
    ['compliance: [nist-800-53-r5]', [CompliancePack.NIST_800_53_R5]],
    ['compliance: [hipaa-security]', [CompliancePack.HIPAA_SECURITY]],
    ['compliance: [pci-dss-3.2.1]', [CompliancePack.PCI_DSS_3_2_1]],
    ['compliance: [pci-dss-3.2.1, nist-800-53-r5]', [CompliancePack.PCI_DSS_3_2_1, CompliancePack.NIST_800_53_R5]],
    ['compliance: []', []],
  ])('accepts %s', (line, packs) => {
    expect(ClientConfigLoader.fromYaml(exampleWith(line), 'clients/example.yaml').compliance).toEqual(packs);
  });

  test('left out, the client gets no compliance pack', () => {
    expect(ClientConfigLoader.fromYaml(exampleWith(undefined), 'clients/example.yaml').compliance).toBeUndefined();
  });

  test('an unknown pack is refused at its file and line, with the packs known', () => {
    const error = errorOf(exampleWith('compliance: [nist-800-53-r5, sox-404]'));
    expect(error.message).toContain(`clients/bad.yaml:${COMPLIANCE_LINE + 1}:`);
    expect(error.problems).toEqual([expect.objectContaining({
      file: 'clients/bad.yaml',
      line: COMPLIANCE_LINE + 1,
      path: '$.compliance[1]',
      expected: 'one of nist-800-53-r5, hipaa-security, pci-dss-3.2.1',
      found: "'sox-404'",
    })]);
  });

  test('near misses are refused too: the NIST revision 4 pack, a PCI version without its dots, a name in capitals', () => {
    for (const name of ['nist-800-53-r4', 'pci-dss-321', 'HIPAA-SECURITY']) {
      expect(errorOf(exampleWith(`compliance: [${name}]`)).problems).toEqual([expect.objectContaining({ path: '$.compliance[0]', found: `'${name}'` })]);
    }
  });

  test('a pack named twice, or a single name instead of a list', () => {
    expect(errorOf(exampleWith('compliance: [hipaa-security, hipaa-security]')).problems)
      .toEqual([expect.objectContaining({ path: '$.compliance', line: COMPLIANCE_LINE + 1, expected: 'each compliance pack once' })]);
    expect(errorOf(exampleWith('compliance: hipaa-security')).problems)
      .toEqual([expect.objectContaining({ path: '$.compliance', line: COMPLIANCE_LINE + 1, expected: expect.stringMatching(/list/) })]);
  });
});
