import { ParsedClientConfig } from '../../lib/config/schema';
import { ClientConfig } from '../../lib/config/types';

/*
 * The config model has two spellings: the jsii interfaces of lib/config/types.ts (the AiOps props)
 * and the zod schema the loader enforces. The types below hold them to the same keys, the same
 * optional keys and mutually assignable values, all the way down, in both directions.
 * The checks run when this file compiles: the typecheck task (tsc -p test/tsconfig.json) fails on
 * a difference; jest alone transpiles without checking types (isolatedModules).
 */

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type OptionalKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T];
type AllTrue<T> = false extends T[keyof T] ? false : true;
/** Same keys, same optional keys, and values that agree recursively; leaves assignable both ways. */
type SameModel<A, B> =
  [A] extends [ReadonlyArray<infer X>] ? ([B] extends [ReadonlyArray<infer Y>] ? SameModel<X, Y> : false)
    : [A] extends [object] ? ([B] extends [object]
      // A map (`{ [agentId: string]: number }`): compare its values.
      ? string extends keyof A ? (string extends keyof B ? SameModel<A[string & keyof A], B[string & keyof B]> : false)
        : Same<keyof A, keyof B> extends true
          ? Same<OptionalKeys<A>, OptionalKeys<B>> extends true
            ? AllTrue<{ [K in keyof A & keyof B]-?: SameModel<NonNullable<A[K]>, NonNullable<B[K]>> }>
            : false
          : false
      : false)
      : Same<A, B>;

const typesAndSchemaAgree: SameModel<ClientConfig, ParsedClientConfig> = true;

describe('lib/config/types.ts and the zod schema', () => {
  test('describe the same model in both directions (a compile-time check)', () => {
    expect(typesAndSchemaAgree).toBe(true);
  });

  test('the check tells apart models that differ by an extra optional key, optionality or a value type, deep down', () => {
    const extraOptionalKey: SameModel<{ a: { b: number } }, { a: { b: number; c?: string } }> = false;
    const optionalVsRequired: SameModel<{ a: { b?: number } }, { a: { b: number } }> = false;
    const valueType: SameModel<{ a: Array<{ b: number }> }, { a: Array<{ b: string }> }> = false;
    const mapValue: SameModel<{ a: { [k: string]: number } }, { a: Record<string, string> }> = false;
    const readonlyIgnored: SameModel<{ readonly a: readonly number[] }, { a: number[] }> = true;
    expect([extraOptionalKey, optionalVsRequired, valueType, mapValue, readonlyIgnored]).toEqual([false, false, false, false, true]);
  });
});
