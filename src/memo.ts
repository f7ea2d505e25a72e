/**
 * Remembering pure functions of two arguments. Generated manifests and big clusters ask the same
 * few questions thousands of times (a config key and value, a key and a Kafka version), and
 * working each answer out again is a large part of reading them.
 */

/**
 * `compute`, remembered by its two arguments, compared as Map keys are (so `3`, `"3"` and `true`
 * stay apart). The memory lives as long as the returned function.
 */
export function memoizeByPair<A, B, R extends NonNullable<unknown>>(compute: (a: A, b: B) => R): (a: A, b: B) => R {
  const byFirst = new Map<A, Map<B, R>>();
  return (a, b) => {
    let bySecond = byFirst.get(a);
    if (bySecond === undefined) byFirst.set(a, (bySecond = new Map()));
    let found = bySecond.get(b);
    if (found === undefined) bySecond.set(b, (found = compute(a, b)));
    return found;
  };
}
