import * as fc from 'fast-check';
import { ALARM_METADATA_PREFIX, decodeAlarmMetadata, encodeAlarmMetadata } from '../../lib/common';
import { Severity } from '../../lib/config/types';

describe('alarm metadata line', () => {
  test('round-trips through a description, whatever the owner holds', () => {
    fc.assert(fc.property(
      fc.constantFrom(Severity.P1, Severity.P2, Severity.P3), fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.string(),
      (severity, kind, owner, prose) => {
        const metadata = { severity, kind, cause: `agent/${kind}`, owner, affects: ['support/answer'] };
        const line = encodeAlarmMetadata(metadata);
        // One line: no owner can add a second.
        expect(line.split('\n')).toHaveLength(1);
        const decoded = decodeAlarmMetadata(`${prose.replace(/cdk-ai-ops: /g, '')}\n${line}`);
        expect(decoded).toEqual(owner ? metadata : { severity, kind, cause: `agent/${kind}`, affects: ['support/answer'] });
      },
    ));
  });

  test('anything else decodes to undefined and never throws', () => {
    fc.assert(fc.property(fc.anything(), (value) => {
      const description = typeof value === 'string' ? value : `${ALARM_METADATA_PREFIX}${safeJson(value)}`;
      const decoded = decodeAlarmMetadata(description);
      if (decoded) expect(Object.values(Severity)).toContain(decoded.severity);
      expect(() => decodeAlarmMetadata(value)).not.toThrow();
    }));
  });

  test.each([
    ['no line', '[P1] Production is down.'],
    ['a line in the middle of another', `x ${ALARM_METADATA_PREFIX}{"v":1,"severity":"P1","kind":"k","cause":"c"}`],
    ['another version', `${ALARM_METADATA_PREFIX}{"v":2,"severity":"P1","kind":"k","cause":"c"}`],
    ['a severity from the prototype', `${ALARM_METADATA_PREFIX}{"v":1,"severity":"toString","kind":"k","cause":"c"}`],
    ['no cause', `${ALARM_METADATA_PREFIX}{"v":1,"severity":"P1","kind":"k"}`],
    ['cut short', `${ALARM_METADATA_PREFIX}{"v":1,"severity":"P1","kind":"k","cau`],
  ])('%s decodes to undefined', (_, description) => {
    expect(decodeAlarmMetadata(description)).toBeUndefined();
  });
});

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
