/**
 * Nesting depth of a row. JSON.parse in V8 reads any depth, but JSON.stringify and every recursive walk
 * (metadata, Parquet value conversion) overflow the stack somewhere past a few thousand levels, which
 * used to abort a whole import for one row. Readers and the mapper reject such a row instead.
 */
export const MAX_NESTING = 64;
export const TOO_DEEP = `the row is nested deeper than ${MAX_NESTING} levels; flatten it`;

/** Lists and objects count as levels (the record itself is level 1); typed arrays and dates are leaves. */
const isContainer = (v: unknown): v is object => typeof v === 'object' && v !== null && !ArrayBuffer.isView(v) && !(v instanceof Date);

/** True when `value` holds containers more than `limit` levels deep. Iterative: no recursion, so no stack to overflow. */
export function deeperThan(value: unknown, limit = MAX_NESTING): boolean {
  if (!isContainer(value)) return false;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length) {
    const v = values.pop()!;
    const d = depths.pop()!;
    if (d > limit) return true;
    const children = Array.isArray(v) ? (v as unknown[]) : Object.values(v);
    for (const c of children) {
      if (isContainer(c)) {
        values.push(c);
        depths.push(d + 1);
      }
    }
  }
  return false;
}
