import { z } from 'zod';
import type { DB } from '../store/project';
import { UserError } from '../util/errors';
import msc from './msc2020.json';

export interface TaxonomyEntry {
  code: string;
  title: string;
  subjects?: string[];
}
export interface Taxonomy {
  name: string;
  builtin: boolean;
  entries: TaxonomyEntry[];
}

export const DEFAULT_TAXONOMY = 'msc2020';
export const OTHER = 'other';

const entry = z.object({ code: z.string().trim().min(1).max(40), title: z.string().trim().min(1).max(300), subjects: z.array(z.string().max(300)).max(200).optional() });
export const taxonomyInput = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(80)
    .refine((n) => n !== DEFAULT_TAXONOMY, 'msc2020 is built in; give your list another name'),
  entries: z.array(entry).min(2).max(1000),
});

const MSC: Taxonomy = { name: DEFAULT_TAXONOMY, builtin: true, entries: msc };

export function listTaxonomies(db: DB): { name: string; builtin: boolean; size: number }[] {
  const user = db.prepare('SELECT name, entries FROM curation_taxonomies ORDER BY name').all() as { name: string; entries: string }[];
  return [{ name: MSC.name, builtin: true, size: MSC.entries.length }, ...user.map((u) => ({ name: u.name, builtin: false, size: (JSON.parse(u.entries) as unknown[]).length }))];
}

export function getTaxonomy(db: DB, name: string = DEFAULT_TAXONOMY): Taxonomy {
  if (name === DEFAULT_TAXONOMY) return MSC;
  const r = db.prepare('SELECT entries FROM curation_taxonomies WHERE name = ?').get(name) as { entries: string } | undefined;
  if (!r) throw new UserError(`There is no taxonomy named "${name}"; import it first, or use "${DEFAULT_TAXONOMY}".`, 'taxonomy_not_found');
  return { name, builtin: false, entries: JSON.parse(r.entries) as TaxonomyEntry[] };
}

/** Saves (or replaces) a user taxonomy. Codes must be unique. */
export function setTaxonomy(db: DB, raw: unknown): Taxonomy {
  const t = taxonomyInput.parse(raw);
  const seen = new Set<string>();
  for (const e of t.entries) {
    if (seen.has(e.code.toLowerCase())) throw new UserError(`The taxonomy "${t.name}" lists the code "${e.code}" twice; make every code unique.`, 'taxonomy_duplicate');
    seen.add(e.code.toLowerCase());
  }
  db.prepare('INSERT OR REPLACE INTO curation_taxonomies (name, entries, updated_at) VALUES (?, ?, ?)').run(t.name, JSON.stringify(t.entries), new Date().toISOString());
  return { name: t.name, builtin: false, entries: t.entries };
}

/**
 * Accepts a taxonomy file the way people write them: a JSON array of {code, title}, an object
 * {code: title}, or plain lines "code<TAB or space or colon>title".
 */
export function parseTaxonomyText(name: string, text: string): unknown {
  const s = text.trim();
  if (s.startsWith('[')) return { name, entries: JSON.parse(s) as unknown };
  if (s.startsWith('{')) return { name, entries: Object.entries(JSON.parse(s) as Record<string, string>).map(([code, title]) => ({ code, title })) };
  const entries = s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const m = /^(\S+?)\s*[:\t]\s*(.+)$/.exec(l) ?? /^(\S+)\s+(.+)$/.exec(l);
      return m ? { code: m[1], title: m[2] } : { code: l, title: l };
    });
  return { name, entries };
}

export function labelPrompt(t: Taxonomy, question: string): string {
  const list = t.entries.map((e) => `${e.code}: ${e.title}`).join('\n');
  return `Classify the following problem into exactly one category of this list:\n\n${list}\n\nProblem:\n${question}\n\nAnswer with the category code only (for example "${t.entries[0]?.code ?? ''}"), nothing else.`;
}

/**
 * Reads a category out of a model's reply, robustly: the thinking is dropped, then the last exact code,
 * else a code inside the text, else a title. Anything else is 'other'.
 */
export function parseLabel(t: Taxonomy, reply: string): string {
  let s = reply.replace(/<think>[\s\S]*?<\/think>/g, ' ');
  const close = s.lastIndexOf('</think>');
  if (close >= 0) s = s.slice(close + 8);
  s = s.replace(/\\boxed\{([^}]*)\}/g, ' $1 ').trim();
  if (!s) return OTHER;
  const byCode = new Map(t.entries.map((e) => [e.code.toLowerCase(), e.code]));
  const whole = s.replace(/^[\s"'`*([]+|[\s"'`*.)\]]+$/g, '').toLowerCase();
  const exact = byCode.get(whole);
  if (exact) return exact;
  const tokens = s.split(/[^A-Za-z0-9_-]+/).filter(Boolean);
  for (let i = tokens.length - 1; i >= 0; i--) {
    const c = byCode.get((tokens[i] as string).toLowerCase());
    if (c) return c;
  }
  const lower = s.toLowerCase();
  let best: { code: string; at: number } | null = null;
  for (const e of t.entries) {
    const at = lower.lastIndexOf(e.title.toLowerCase());
    if (at >= 0 && (!best || at > best.at)) best = { code: e.code, at };
  }
  return best?.code ?? OTHER;
}

/**
 * Replaces every label of a taxonomy with these clusters' labels (source 'cluster'). Passed to embed/clusters.ts,
 * which calls it inside the transaction that stores the clustering.
 */
export function replaceClusterLabels(db: DB, taxonomy: string, labels: readonly { questionId: number; label: string }[], createdAt: string): void {
  db.prepare('DELETE FROM domain_labels WHERE taxonomy = ?').run(taxonomy);
  const put = db.prepare("INSERT INTO domain_labels (question_id, taxonomy, label, source, created_at) VALUES (?, ?, ?, 'cluster', ?)");
  for (const l of labels) put.run(l.questionId, taxonomy, l.label, createdAt);
}

/** Labels of one taxonomy, per question. */
export function labelsOf(db: DB, taxonomy: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const r of db.prepare('SELECT question_id, label FROM domain_labels WHERE taxonomy = ?').all(taxonomy) as { question_id: number; label: string }[]) m.set(r.question_id, r.label);
  return m;
}
