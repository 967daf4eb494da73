/**
 * The worker's log carries transformers' own progress lines, which are Python dicts:
 * `{'loss': 2.31, 'grad_norm': 1.7, 'learning_rate': 1e-05, 'epoch': 0.5}`. Shown raw they read as code;
 * parsed, they read as "loss 2.310 · grad norm 1.70 · learning rate 1.0e-5 · epoch 0.50" (names translated). Anything else is
 * shown as written.
 */
/** Metric keys the Train step names in both languages (train.log.metrics.*); others show their key. */
export const KNOWN_METRICS = ['loss', 'eval_loss', 'grad_norm', 'learning_rate', 'epoch', 'train_runtime', 'train_samples_per_second', 'train_steps_per_second', 'train_loss', 'mean_token_accuracy', 'num_tokens', 'entropy'] as const;

function fmt(key: string, v: number): string {
  if (key === 'learning_rate') return v.toExponential(1);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  if (Math.abs(v) >= 100) return v.toFixed(1);
  return key === 'loss' || key.endsWith('_loss') ? v.toFixed(3) : v.toFixed(2);
}

/** A parsed metrics line as [key, formatted value] pairs, or null when the line is not one. */
export function parseMetrics(line: string): [string, string][] | null {
  const s = line.trim();
  if (!s.startsWith('{') || !s.endsWith('}') || !s.includes("'")) return null;
  let obj: unknown;
  try {
    // Python's dict repr: single-quoted keys, True/False/None, nan/inf.
    const json = s
      .replace(/'([^'\\]*)'/g, '"$1"')
      .replace(/\bTrue\b/g, 'true')
      .replace(/\bFalse\b/g, 'false')
      .replace(/\bNone\b/g, 'null')
      .replace(/\b(nan|inf|-inf)\b/g, 'null');
    obj = JSON.parse(json);
  } catch {
    return null;
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return null;
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (typeof v === 'number') out.push([k, fmt(k, v)]);
    else if (v !== null) out.push([k, String(v)]);
  }
  return out.length ? out : null;
}
