import * as fc from 'fast-check';
import { apportionCents, percent, shiftDay, wilsonLowerBound } from '../../lib/reporting/numbers';
import { daysOf, lastFullMonth, monthsOf, parsePeriod, previousPeriod, ReportPeriodError } from '../../lib/reporting/period';

describe('apportionCents', () => {
  test('rounded shares add up to the rounded total, each within a cent of its exact value', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 10_000, noNaN: true }), { maxLength: 300 }), (values) => {
      const total = values.reduce((a, b) => a + b, 0);
      const cents = apportionCents(values, total);
      expect(Math.round(cents.reduce((a, b) => a + b, 0) * 100)).toBe(Math.round(total * 100));
      cents.forEach((c, i) => expect(Math.abs(c - values[i])).toBeLessThan(0.01 + 1e-9));
    }));
  });

  test('50,000 tenants of a third of a cent each still add up (rounding one by one would lose $166)', () => {
    const values = Array.from({ length: 50_000 }, () => 1 / 300);
    const cents = apportionCents(values, 50_000 / 300);
    expect(Math.round(cents.reduce((a, b) => a + b, 0) * 100)).toBe(16667);
    expect(Math.round(values.map((v) => Math.round(v * 100)).reduce((a, b) => a + b, 0))).toBe(0);
  });
});

describe('wilsonLowerBound', () => {
  test('matches the formula of the evaluation facts for known values', () => {
    // p = 0.95, n = 200, z = 1.95996: (0.95 + 0.0096036 - 1.95996 * sqrt(0.0002375 + 0.0000240091)) / 1.0192073 = 0.910422
    expect(wilsonLowerBound(0.95, 200, 1.959964)).toBeCloseTo(0.910422, 5);
    // One-sided 95% (z = 1.645), the accuracy alarms' confidence, is the default.
    expect(wilsonLowerBound(0.95, 200)).toBeCloseTo(wilsonLowerBound(0.95, 200, 1.645), 12);
    expect(wilsonLowerBound(1, 10, 1.959964)).toBeCloseTo(0.7225, 4);
    expect(wilsonLowerBound(0.5, 0)).toBe(0);
  });

  test('never above the observed rate, and tighter with more evidence', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 100_000 }), (p, n) => {
      const lower = wilsonLowerBound(p, n);
      expect(lower).toBeGreaterThanOrEqual(0);
      expect(lower).toBeLessThanOrEqual(p + 1e-12);
      expect(wilsonLowerBound(p, n * 4)).toBeGreaterThanOrEqual(lower - 1e-12);
    }));
  });
});

test('percent: one decimal, null on zero', () => {
  expect(percent(1, 3)).toBe(33.3);
  expect(percent(1, 0)).toBeNull();
});

describe('shiftDay', () => {
  const series = (values: number[]) => values.map((value, i) => ({ day: `2026-10-${String(i + 1).padStart(2, '0')}`, value, weight: 100 }));

  test('names the first day of the new level', () => {
    expect(shiftDay(series([80, 81, 79, 80, 80, 40, 41, 39, 40]), 10)).toBe('2026-10-06');
  });

  test('a steady or noisy series has no shift day', () => {
    expect(shiftDay(series([80, 82, 78, 81, 79, 80, 83, 77]), 10)).toBeUndefined();
    expect(shiftDay(series([80, 40]), 10)).toBeUndefined();
  });
});

describe('periods', () => {
  test('months and quarters', () => {
    expect(parsePeriod('2026-10')).toEqual({ kind: 'month', id: '2026-10', start: '2026-10-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z', days: 31 });
    expect(parsePeriod('2026-Q4')).toMatchObject({ kind: 'quarter', start: '2026-10-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z', days: 92 });
    expect(previousPeriod(parsePeriod('2026-01')).id).toBe('2025-12');
    expect(previousPeriod(parsePeriod('2026-Q1')).id).toBe('2025-Q4');
    expect(monthsOf(parsePeriod('2026-Q4')).map((m) => m.id)).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(lastFullMonth(new Date('2026-01-02T08:00:00Z')).id).toBe('2025-12');
    expect(daysOf(parsePeriod('2026-02'))).toHaveLength(28);
  });

  test('anything else is refused with the expected form', () => {
    for (const bad of ['2026-13', '2026-1', '26-10', '2026-Q5', '', '2026-10 ']) {
      expect(() => parsePeriod(bad)).toThrow(ReportPeriodError);
    }
    expect(() => parsePeriod('2026-13')).toThrow('use a month such as 2026-10 or a quarter such as 2026-Q4');
  });

  test('a period and the one before meet without a gap, whatever the month', () => {
    fc.assert(fc.property(fc.integer({ min: 2000, max: 2200 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
      const p = parsePeriod(`${year}-${String(month).padStart(2, '0')}`);
      expect(previousPeriod(p).end).toBe(p.start);
      expect(daysOf(p)).toHaveLength(p.days);
    }));
  });
});
