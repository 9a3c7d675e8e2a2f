/** fast-check arbitraries for hostile input: what a fuzzer (or a careless caller) hands the helper. */
import * as fc from 'fast-check';

/** An object whose every listed field throws when read. */
export function throwingGetters(fields: string[]): object {
  const target = {};
  for (const field of fields) {
    Object.defineProperty(target, field, { enumerable: true, get: () => { throw new Error(`getter ${field} exploded`); } });
  }
  return target;
}

/**
 * A proxy that throws on every read of a named field, on `in`, on listing its keys and on
 * `instanceof`. Symbol-keyed reads answer undefined: fast-check probes those to clone and print values.
 */
export function explodingProxy(): object {
  const boom = () => { throw new Error('proxy trap exploded'); };
  return new Proxy({}, {
    get: (_target, key) => (typeof key === 'symbol' ? undefined : boom()),
    has: (_target, key) => (typeof key === 'symbol' ? false : boom()),
    ownKeys: boom,
    getOwnPropertyDescriptor: boom,
    getPrototypeOf: boom,
  });
}

/** Values that break naive code: symbols, null-prototype objects, huge and blank strings, odd numbers, proxies. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withTypedArray: true,
    withSparseArray: true,
  }),
  fc.constantFrom<unknown>(
    Symbol('s'), Object.create(null), Number.NaN, Infinity, -Infinity, -1, 1e300, -0, 0.5, 2 ** 53, '', ' ', '   ', '\t', '\u0000',
    'x'.repeat(300_000), 'é'.repeat(2_000), '\u2028', new Date(Number.NaN), [], [null], [{}], () => 1,
  ),
  fc.constant(null).map(() => explodingProxy()),
  fc.string({ unit: 'binary', maxLength: 2_000 }),
  fc.double(),
);

/** A record of the given fields, each valid-looking or hostile, some missing, some with throwing getters. */
export function hostileRecord(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const keys = Object.keys(fields);
  const values = fc.record(Object.fromEntries(keys.map((key) => [key, fc.oneof(fields[key], hostileValue)])), { requiredKeys: [] });
  return fc.oneof(
    { weight: 6, arbitrary: values },
    {
      weight: 2,
      arbitrary: fc.tuple(values, fc.subarray(keys)).map(([record, throwing]) => Object.assign(throwingGetters(throwing),
        record && typeof record === 'object' ? Object.fromEntries(Object.entries(record).filter(([k]) => !throwing.includes(k))) : {})),
    },
    { weight: 1, arbitrary: hostileValue },
  );
}
