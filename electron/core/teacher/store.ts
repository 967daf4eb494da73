import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { DB } from '../store/project';
import { UserError } from '../util/errors';
import { isValidEnvName, secretStore, type SecretStore } from './secrets';
import { decodeHeaders, decodeUrls, deleteRef, encodeHeaders, encodeUrls, migrateTeacherSecrets, REDACTED, sealSecrets } from './credentials';
import { onProjectOpen } from '../store/project';
import { registerTeacherSource, teachersChanged } from '../egress/teachers';

export interface Teacher {
  id: number;
  name: string;
  preset: string | null;
  /** The endpoints as shown: credentials in a URL (user:password, query values) are replaced by ***. */
  baseUrls: string[];
  model: string;
  /** Header names, each with the value *** (values are secrets: `teacherConnection()` resolves them for requests). */
  headers: Record<string, string>;
  /** `env:VAR`, `store:ID` or null: a reference, never the key. */
  keyRef: string | null;
  /** Where the secret URLs (index-aligned with baseUrls, null: no credentials) and header values live; never secrets. */
  secretRefs: { urls: (string | null)[]; headers: Record<string, string> };
  systemPrompt: string | null;
  priceInput: number | null;
  priceOutput: number | null;
  /** A local teacher's model folder: its server is started on demand from it (localserve/ondemand.ts); null otherwise. */
  localDir: string | null;
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
  local_dir?: string | null;
}

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
  /** A local teacher: the model folder its server is started from on demand; null clears it, absent keeps it. */
  localDir: z.string().trim().min(1).max(4096).nullish(),
});
export type TeacherInput = z.infer<typeof teacherInput>;

function fromRow(r: Row): Teacher {
  const urls = decodeUrls(r.base_urls);
  const headerRefs = decodeHeaders(r.headers);
  return {
    id: r.id,
    name: r.name,
    preset: r.preset,
    baseUrls: urls.map((u) => u.url),
    model: r.model,
    headers: Object.fromEntries(Object.keys(headerRefs).map((n) => [n, REDACTED])),
    keyRef: r.key_ref,
    secretRefs: { urls: urls.map((u) => u.ref), headers: headerRefs },
    systemPrompt: r.system_prompt,
    priceInput: r.price_input,
    priceOutput: r.price_output,
    localDir: r.local_dir ?? null,
  };
}

export function normaliseBaseUrl(u: string): string {
  // Only the path is tidied: a query string (?api_key=...) or fragment stays as it was.
  const t = u.trim();
  const cut = t.search(/[?#]/);
  const [base, rest] = cut < 0 ? [t, ''] : [t.slice(0, cut), t.slice(cut)];
  // People paste the full endpoint; keep the base.
  return base.replace(/\/+$/, '').replace(/\/chat\/completions$/, '') + rest;
}

/** The egress policy allows the registered teachers' hosts: every database whose teachers are read is a source. */
function knownToEgress(db: DB): void {
  registerTeacherSource(
    db,
    () => (db.prepare('SELECT base_urls FROM teachers').pluck().all() as string[]).flatMap((u) => decodeUrls(u).map((x) => x.url)),
    () => db.open,
  );
}

export function listTeachers(db: DB): Teacher[] {
  knownToEgress(db);
  return (db.prepare('SELECT * FROM teachers ORDER BY name').all() as Row[]).map(fromRow);
}

export function findTeacher(db: DB, name: string): Teacher | undefined {
  knownToEgress(db);
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

/** The Generate step's last saved settings (JSON text), or undefined before the first save. */
export function savedGenerationSettings(db: DB): string | undefined {
  return db.prepare('SELECT settings FROM generation_settings WHERE id = 1').pluck().get() as string | undefined;
}

/** Saves the Generate step's settings (one row). */
export function saveGenerationSettings(db: DB, settings: unknown): void {
  db.prepare('INSERT INTO generation_settings (id, settings, updated_at) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at')
    .run(JSON.stringify(settings), new Date().toISOString());
}

/** Adds or replaces a teacher by name. An API key goes to the key store; the project keeps only a reference. */
export function saveTeacher(db: DB, raw: TeacherInput, secrets: SecretStore = secretStore()): Teacher {
  const input = teacherInput.parse(raw);
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
  // Header values and URL credentials go to the key store; the project keeps names, *** and references.
  const localDir = input.localDir === undefined ? (existing?.localDir ?? null) : input.localDir === null ? null : path.resolve(input.localDir);
  const sealed = sealSecrets(input.baseUrls.map(normaliseBaseUrl), input.headers ?? {}, existing, secrets);
  db.prepare(
    `INSERT INTO teachers (name, preset, base_urls, model, headers, key_ref, system_prompt, price_input, price_output, local_dir, created_at, updated_at)
     VALUES (@name, @preset, @urls, @model, @headers, @keyRef, @sys, @pin, @pout, @localDir, @t, @t)
     ON CONFLICT(name) DO UPDATE SET preset = excluded.preset, base_urls = excluded.base_urls, model = excluded.model,
       headers = excluded.headers, key_ref = excluded.key_ref, system_prompt = excluded.system_prompt,
       price_input = excluded.price_input, price_output = excluded.price_output, local_dir = excluded.local_dir, updated_at = excluded.updated_at`,
  ).run({
    name: input.name,
    preset: input.preset ?? null,
    urls: encodeUrls(sealed.urls),
    model: input.model,
    headers: encodeHeaders(sealed.headers),
    keyRef,
    sys: input.systemPrompt ?? null,
    pin: input.priceInput ?? null,
    pout: input.priceOutput ?? null,
    localDir,
    t,
  });
  for (const ref of sealed.obsolete) deleteRef(secrets, ref);
  teachersChanged();
  return getTeacher(db, input.name);
}

export function removeTeacher(db: DB, name: string, secrets: SecretStore = secretStore()): boolean {
  const t = findTeacher(db, name);
  if (!t) return false;
  if (t.keyRef?.startsWith('store:')) secrets.delete(t.keyRef.slice(6));
  for (const ref of [...t.secretRefs.urls, ...Object.values(t.secretRefs.headers)]) deleteRef(secrets, ref);
  db.prepare('DELETE FROM teachers WHERE id = ?').run(t.id);
  teachersChanged();
  return true;
}

/** What the UI and the CLI may show: where the key comes from, never the key. */
export function publicTeacher(t: Teacher) {
  const { keyRef, secretRefs: _refs, ...rest } = t;
  return { ...rest, key: keyRef === null ? ('none' as const) : keyRef.startsWith('env:') ? { env: keyRef.slice(4) } : ('stored' as const) };
}

// Projects saved by older versions kept header values and URL credentials in clear: they move to the key
// store when the project opens. A failure (key store unwritable) leaves them where they were, to retry next time.
onProjectOpen((db) => {
  knownToEgress(db);
  try {
    const n = migrateTeacherSecrets(db, secretStore());
    if (n) console.warn(`Moved the header values and URL credentials of ${n} teacher${n === 1 ? '' : 's'} out of the project into the ${secretStore().kind} key store.`);
  } catch (e) {
    console.warn(`Could not move teacher secrets out of the project: ${(e as Error).message}. They stay where they were; fix the key store and open the project again.`);
  }
});

/** Each teacher's name and model, as stored (doctor/ checks the models that are local folders). */
export function teacherModels(db: DB): { name: string; model: string }[] {
  return db.prepare('SELECT name, model FROM teachers').all() as { name: string; model: string }[];
}
