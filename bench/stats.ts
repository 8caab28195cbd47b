/**
 * The median of `values` (the mean of the two middle ones for an even count);
 * `NaN` for none.
 *
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = Math.floor(finite.length / 2);
  return finite.length % 2 === 1 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

/** `a / b`, or `NaN` when either is missing or `b` is zero. */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN;
}

/** Rotate `items` left by `by` places (interleaves rounds without a fixed order). */
export function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const k = ((by % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/**
 * The mean of the lowest third of `values` (at least one value): the cost
 * of the runs that other load disturbed least. On this VM interference
 * only ever adds CPU time (stolen time is not reported apart, so it lands
 * on whatever process runs), which makes the low end the stable estimate;
 * `NaN` for none.
 *
 * @example
 * ```ts
 * lowThird([5, 1, 2, 9, 3, 4]); // 1.5
 * ```
 */
export function lowThird(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const k = Math.max(1, Math.floor(finite.length / 3));
  return finite.slice(0, k).reduce((sum, v) => sum + v, 0) / k;
}
