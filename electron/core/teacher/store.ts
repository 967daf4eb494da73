import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DB } from '../store/project';
import { UserError } from '../util/errors';
import { isValidEnvName, secretStore, type SecretStore } from './secrets';

export interface Teacher {
  id: number;
  name: string;
  preset: string | null;
  baseUrls: string[];
  model: string;
  headers: Record<string, string>;
  /** `env:VAR`, `store:ID` or null: a reference, never the key. */
  keyRef: string | null;
  systemPrompt: string | null;
  priceInput: number | null;
  priceOutput: number | null;
}

interface Row {
  id: number;
  name: string;
  preset: string | null;
  base_urls: string;
  model: string;
  headers: string | null;
  key_ref: string | null;
  system_prompt: string | null;
  price_input: number | null;
  price_output: number | null;
}

const SECRET_HEADERS = /^(authorization|proxy-authorization|x-api-key|api-key|cookie)$/i;

export const teacherInput = z.object({
  name: z.string().trim().min(1).max(100),
  preset: z.string().max(50).nullish(),
  baseUrls: z.array(z.string().trim().url()).min(1).max(64),
  model: z.string().trim().min(1).max(500),
  headers: z.record(z.string(), z.string()).optional(),
  /** The key itself: goes to the key store, never to the project. */
  apiKey: z.string().min(1).optional(),
  /** Or the name of an environment variable read at run time. */
  keyEnv: z.string().optional(),
  /** Removes any stored key reference. */
  clearKey: z.boolean().optional(),
  systemPrompt: z.string().max(20_000).nullish(),
  priceInput: z.number().nonnegative().nullish(),
  priceOutput: z.number().nonnegative().nullish(),
});
export type TeacherInput = z.infer<typeof teacherInput>;

function fromRow(r: Row): Teacher {
  return {
    id: r.id,
    name: r.name,
    preset: r.preset,
    baseUrls: JSON.parse(r.base_urls) as string[],
    model: r.model,
    headers: r.headers ? (JSON.parse(r.headers) as Record<string, string>) : {},
    keyRef: r.key_ref,
    systemPrompt: r.system_prompt,
    priceInput: r.price_input,
    priceOutput: r.price_output,
  };
}

export function normaliseBaseUrl(u: string): string {
  let s = u.trim().replace(/\/+$/, '');
  // People paste the full endpoint; keep the base.
  s = s.replace(/\/chat\/completions$/, '');
  return s;
}

export function listTeachers(db: DB): Teacher[] {
  return (db.prepare('SELECT * FROM teachers ORDER BY name').all() as Row[]).map(fromRow);
}

export function findTeacher(db: DB, name: string): Teacher | undefined {
  const r = db.prepare('SELECT * FROM teachers WHERE name = ?').get(name) as Row | undefined;
  return r ? fromRow(r) : undefined;
}

export function getTeacher(db: DB, name: string): Teacher {
  const t = findTeacher(db, name);
  if (!t) {
    const names = listTeachers(db).map((x) => x.name);
    throw new UserError(
      `There is no teacher named "${name}" in this project${names.length ? ` (teachers: ${names.join(', ')})` : ''}. Add it first with "distillery teacher add".`,
      'teacher_not_found',
    );
  }
  return t;
}

/** Adds or replaces a teacher by name. An API key goes to the key store; the project keeps only a reference. */
export function saveTeacher(db: DB, raw: TeacherInput, secrets: SecretStore = secretStore()): Teacher {
  const input = teacherInput.parse(raw);
  for (const h of Object.keys(input.headers ?? {})) {
    if (SECRET_HEADERS.test(h)) {
      throw new UserError(`The header "${h}" carries a secret and would be saved in the project. Give the key as the teacher's API key (or --key-env) instead.`, 'secret_header');
    }
  }
  if (input.keyEnv !== undefined && !isValidEnvName(input.keyEnv)) {
    throw new UserError(`"${input.keyEnv}" is not a valid environment variable name; use letters, digits and underscores.`, 'bad_env');
  }
  if (input.apiKey && input.keyEnv) throw new UserError('Give either an API key or an environment variable for it, not both.', 'bad_key');
  const existing = findTeacher(db, input.name);
  let keyRef = existing?.keyRef ?? null;
  if (input.clearKey || input.apiKey || input.keyEnv) {
    if (keyRef?.startsWith('store:')) secrets.delete(keyRef.slice(6));
    keyRef = null;
  }
  if (input.apiKey) {
    const id = `teacher-${randomUUID()}`;
    secrets.set(id, input.apiKey);
    keyRef = `store:${id}`;
  } else if (input.keyEnv) keyRef = `env:${input.keyEnv}`;
  const t = new Date().toISOString();
  const urls = input.baseUrls.map(normaliseBaseUrl);
  db.prepare(
    `INSERT INTO teachers (name, preset, base_urls, model, headers, key_ref, system_prompt, price_input, price_output, created_at, updated_at)
     VALUES (@name, @preset, @urls, @model, @headers, @keyRef, @sys, @pin, @pout, @t, @t)
     ON CONFLICT(name) DO UPDATE SET preset = excluded.preset, base_urls = excluded.base_urls, model = excluded.model,
       headers = excluded.headers, key_ref = excluded.key_ref, system_prompt = excluded.system_prompt,
       price_input = excluded.price_input, price_output = excluded.price_output, updated_at = excluded.updated_at`,
  ).run({
    name: input.name,
    preset: input.preset ?? null,
    urls: JSON.stringify(urls),
    model: input.model,
    headers: input.headers && Object.keys(input.headers).length ? JSON.stringify(input.headers) : null,
    keyRef,
    sys: input.systemPrompt ?? null,
    pin: input.priceInput ?? null,
    pout: input.priceOutput ?? null,
    t,
  });
  return getTeacher(db, input.name);
}

export function removeTeacher(db: DB, name: string, secrets: SecretStore = secretStore()): boolean {
  const t = findTeacher(db, name);
  if (!t) return false;
  if (t.keyRef?.startsWith('store:')) secrets.delete(t.keyRef.slice(6));
  db.prepare('DELETE FROM teachers WHERE id = ?').run(t.id);
  return true;
}

/** What the UI and the CLI may show: where the key comes from, never the key. */
export function publicTeacher(t: Teacher) {
  const { keyRef, ...rest } = t;
  return { ...rest, key: keyRef === null ? ('none' as const) : keyRef.startsWith('env:') ? { env: keyRef.slice(4) } : ('stored' as const) };
}
