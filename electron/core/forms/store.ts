import type { DB } from '../store/project';

/** The steps whose forms are kept; a fixed list, so a stray key cannot grow the table. */
export const FORM_STEPS = ['curate', 'train', 'traces', 'evaluate', 'export'] as const;
export type FormStep = (typeof FORM_STEPS)[number];

/** The last form a user had on a step of this project, or null. */
export function getForm(db: DB, step: FormStep): Record<string, unknown> | null {
  const v = db.prepare('SELECT value FROM form_state WHERE step = ?').pluck().get(step) as string | undefined;
  if (v === undefined) return null;
  try {
    const parsed = JSON.parse(v) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function putForm(db: DB, step: FormStep, value: Record<string, unknown>): void {
  db.prepare(
    `INSERT INTO form_state (step, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(step) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(step, JSON.stringify(value), new Date().toISOString());
}

export function clearForm(db: DB, step: FormStep): void {
  db.prepare('DELETE FROM form_state WHERE step = ?').run(step);
}

/** Every saved form as stored (JSON text), whatever its step (doctor/ finds the model folders they name). */
export function savedForms(db: DB): { step: string; value: string }[] {
  return db.prepare('SELECT step, value FROM form_state').all() as { step: string; value: string }[];
}
