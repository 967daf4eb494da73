/** Number formats of the Evaluate step (locale-free digits; labels come from i18n). */

export const pct = (v: number | null | undefined, digits = 1) => (typeof v === 'number' ? `${(v * 100).toFixed(digits)}%` : '–');

export const num = (v: number | null | undefined, digits = 0) => (typeof v === 'number' ? v.toFixed(digits) : '–');

export const ms = (v: number | null | undefined) => (typeof v === 'number' ? (v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`) : '–');

export function duration(sec: number): string {
  if (sec < 90) return `${Math.round(sec)} s`;
  if (sec < 5400) return `${Math.round(sec / 60)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}

/** "512, 1024 … 8192" → [512, 1024, 8192]; null when a part is not a whole number ≥ 0. */
export function parseBudgets(text: string): number[] | null {
  const parts = text
    .split(/[\s,;，、；]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return null;
    const n = Number(p);
    if (n > 131_072) return null;
    if (!out.includes(n)) out.push(n);
  }
  return out.sort((a, b) => a - b);
}

export const muted = 'text-xs text-slate-500 dark:text-slate-400';
export const pill = 'rounded px-1.5 py-0.5 text-[11px] font-medium';

/** SQLite's "YYYY-MM-DD HH:MM:SS" (UTC) as ISO; ISO strings pass through. */
export const isoUtc = (s: string) => (s.includes('T') ? s : `${s.replace(' ', 'T')}Z`);

/** Whether an element is laid out (not inside a hidden tab panel): step shortcuts act only on what is shown. */
export const shown = (el: Element | null): boolean => el instanceof HTMLElement && el.offsetParent !== null;
