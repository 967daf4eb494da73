// Credentials that people paste into a teacher's URLs (https://user:KEY@host, ?api_key=...) or headers
// (X-Goog-Api-Key, Ocp-Apim-Subscription-Key, ...). Every header value and every URL that carries
// credentials is a secret: it goes to the key store (safeStorage or the 0600 file) and the project keeps only
// the URL with its credentials replaced by *** and the header names, each with a `store:ID` reference.
import { randomUUID } from 'node:crypto';
import type { DB } from '../store/project';
import { UserError } from '../util/errors';
import { localEndpoint } from './live';
import { resolveKey, secretStore, type SecretStore } from './secrets';
import type { Teacher } from './store';

export const REDACTED = '***';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True when the URL carries anything that may be a credential: user, password, a query string or a fragment. */
export function urlHasSecrets(url: string): boolean {
  const u = parse(url);
  return !!u && (u.username !== '' || u.password !== '' || u.search !== '' || u.hash !== '');
}

/**
 * The URL as it may be shown, stored in the project or logged: user and password become ***, every query
 * value becomes *** (names stay, so that one can see which parameter it was), a fragment becomes #***.
 */
export function redactUrl(url: string): string {
  const u = parse(url);
  if (!u || !urlHasSecrets(url)) return url;
  if (u.username) u.username = REDACTED;
  if (u.password) u.password = REDACTED;
  const names = [...u.searchParams.keys()];
  const search = names.length ? `?${names.map((n) => `${encodeURIComponent(n)}=${REDACTED}`).join('&')}` : '';
  const hash = u.hash ? `#${REDACTED}` : '';
  u.search = '';
  u.hash = '';
  return `${u.href}${search}${hash}`;
}

/** Every http(s) URL inside a free text (an error message, a log line) with its credentials redacted. */
export function redactUrls(text: string): string {
  return text.replace(/\bhttps?:\/\/[^\s"'<>`]+/gi, (m) => {
    // A URL at the end of a sentence keeps its full stop outside.
    const tail = /[.,;:)\]]+$/.exec(m)?.[0] ?? '';
    const url = tail ? m.slice(0, -tail.length) : m;
    return redactUrl(url) + tail;
  });
}

/** The secret values a URL carries (decoded and as written), for scrubbing them out of server messages. */
export function urlSecretValues(url: string): string[] {
  const u = parse(url);
  if (!u) return [];
  const out = [u.username, u.password, u.hash.slice(1)];
  for (const [, v] of u.searchParams) out.push(v);
  for (const part of u.search.slice(1).split('&')) out.push(part.slice(part.indexOf('=') + 1));
  return out.flatMap((v) => [v, safeDecode(v)]).filter((v) => v.length >= 3);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Replaces each secret (longest first, so that one inside another goes whole) by ***. */
export function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of [...new Set(secrets)].filter((x) => x.length >= 3).sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
  return out;
}

// ---- how a teacher row stores its endpoints and headers -----------------------------------------------

/** One endpoint: the URL as shown, and where the real URL lives when it carries credentials. */
export interface StoredUrl {
  url: string;
  ref: string | null;
}

/** `clear:` marks a value still in the project from before this version, until the open-time migration moves it. */
const CLEAR = 'clear:';

/** Endpoints from the `base_urls` column: strings (no credentials, or legacy credentials in clear) or `{url, ref}`. */
export function decodeUrls(column: string): StoredUrl[] {
  const arr = JSON.parse(column) as (string | StoredUrl)[];
  return arr.map((e) => (typeof e === 'string' ? (urlHasSecrets(e) ? { url: redactUrl(e), ref: CLEAR + e } : { url: e, ref: null }) : e));
}

export function encodeUrls(urls: StoredUrl[]): string {
  return JSON.stringify(urls.map((u) => (u.ref ? u : u.url)));
}

/** Headers from the `headers` column: `[{name, ref}]`, or a legacy `{name: value}` object with values in clear. */
export function decodeHeaders(column: string | null): Record<string, string> {
  if (!column) return {};
  const v = JSON.parse(column) as { name: string; ref: string }[] | Record<string, string>;
  if (Array.isArray(v)) return Object.fromEntries(v.map((h) => [h.name, h.ref]));
  return Object.fromEntries(Object.entries(v).map(([k, val]) => [k, CLEAR + val]));
}

export function encodeHeaders(refs: Record<string, string>): string | null {
  const list = Object.entries(refs).map(([name, ref]) => ({ name, ref }));
  return list.length ? JSON.stringify(list) : null;
}

export function isLegacyRef(ref: string | null): boolean {
  return !!ref?.startsWith(CLEAR);
}

/** The secret a reference points at; `what` names it in the error a person reads. */
export function resolveRef(ref: string, store: SecretStore, what: string): string {
  if (ref.startsWith(CLEAR)) return ref.slice(CLEAR.length);
  if (ref.startsWith('store:')) {
    const v = store.get(ref.slice(6));
    if (v === undefined) throw new UserError(`${what} is missing from the ${store.kind} key store (the project was copied from another machine, or the key store was reset). Enter it again in the teacher's settings.`, 'key_missing');
    return v;
  }
  throw new UserError(`${what} has an unknown reference "${ref}"; enter it again in the teacher's settings.`, 'key_ref');
}

export function newSecret(store: SecretStore, value: string): string {
  const id = `teacher-${randomUUID()}`;
  store.set(id, value);
  return `store:${id}`;
}

export function deleteRef(store: SecretStore, ref: string | null): void {
  if (ref?.startsWith('store:')) store.delete(ref.slice(6));
}

/** What a request to a teacher needs. Never store, show or log any of it: use the Teacher's redacted fields. */
export interface TeacherConnection {
  /** The real endpoint URLs, credentials included, in the order of `Teacher.baseUrls`. */
  baseUrls: string[];
  /** The real header values. */
  headers: Record<string, string>;
  /** The API key (sent as `Authorization: Bearer`), when the teacher has one. */
  apiKey: string | undefined;
}

/** Resolves a teacher's key, header values and URL credentials from the key store, for the requests only. */
export function teacherConnection(t: Teacher, store: SecretStore = secretStore()): TeacherConnection {
  // A local teacher is reached through its model folder: client.ts starts (or finds) its server per request.
  const localDir = t.localDir;
  const baseUrls = localDir ? [localEndpoint({ ...t, localDir })] : t.baseUrls.map((shown, i) => {
    const ref = t.secretRefs.urls[i] ?? null;
    return ref ? resolveRef(ref, store, `The credentials of the URL ${shown} of teacher "${t.name}"`) : shown;
  });
  const headers: Record<string, string> = {};
  for (const [name, ref] of Object.entries(t.secretRefs.headers)) headers[name] = resolveRef(ref, store, `The value of the header "${name}" of teacher "${t.name}"`);
  return { baseUrls, headers, apiKey: resolveKey(t.keyRef, t.name, store) };
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Checks a header before its value is kept: a name HTTP accepts, a value on one line. */
export function checkHeader(name: string, value: string): void {
  if (!HEADER_NAME.test(name)) throw new UserError(`"${name}" is not a valid HTTP header name; use letters, digits and dashes (e.g. X-Api-Key).`, 'bad_header');
  if (/[\r\n\0]/.test(value)) throw new UserError(`The value of the header "${name}" holds a line break; enter it on one line.`, 'bad_header');
}

/**
 * Moves the secrets that older versions kept in clear in the `teachers` table (header values, URLs with
 * credentials) into the key store, and scrubs the copies that generation wrote beside them (the endpoint
 * and error of traces, job errors). Then rewrites the file so that no old page keeps the bytes.
 * Returns how many teachers were migrated.
 */
export function migrateTeacherSecrets(db: DB, store: SecretStore): number {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'teachers'").get();
  if (!hasTable) return 0;
  const rows = db.prepare('SELECT id, base_urls, headers FROM teachers').all() as { id: number; base_urls: string; headers: string | null }[];
  const plans: { id: number; urls: string; headers: string | null; pairs: [string, string][] }[] = [];
  for (const r of rows) {
    const urls = decodeUrls(r.base_urls);
    const headers = decodeHeaders(r.headers);
    if (!urls.some((u) => isLegacyRef(u.ref)) && !Object.values(headers).some(isLegacyRef)) continue;
    const pairs: [string, string][] = [];
    for (const u of urls) {
      if (!u.ref || !isLegacyRef(u.ref)) continue;
      const real = u.ref.slice(CLEAR.length);
      pairs.push([real, u.url], ...urlSecretValues(real).map((s): [string, string] => [s, REDACTED]));
      u.ref = newSecret(store, real);
    }
    for (const [name, ref] of Object.entries(headers)) {
      if (!isLegacyRef(ref)) continue;
      const value = ref.slice(CLEAR.length);
      if (value.length >= 3) pairs.push([value, REDACTED]);
      headers[name] = newSecret(store, value);
    }
    plans.push({ id: r.id, urls: encodeUrls(urls), headers: encodeHeaders(headers), pairs: pairs.sort((a, b) => b[0].length - a[0].length) });
  }
  if (plans.length === 0) return 0;
  const cols = (table: string) => new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
  const scrubCols: [string, string][] = [];
  const traces = cols('traces');
  for (const c of ['endpoint', 'error']) if (traces.has(c)) scrubCols.push(['traces', c]);
  if (cols('jobs').has('error')) scrubCols.push(['jobs', 'error']);
  if (cols('job_items').has('error')) scrubCols.push(['job_items', 'error']);
  // secure_delete zeroes the space the old values leave, VACUUM drops every stale page, and the
  // checkpoint empties the WAL, so that the file keeps no copy of a secret.
  db.pragma('secure_delete = ON');
  db.transaction(() => {
    const put = db.prepare('UPDATE teachers SET base_urls = ?, headers = ? WHERE id = ?');
    for (const p of plans) {
      put.run(p.urls, p.headers, p.id);
      for (const [secret, shown] of p.pairs) {
        for (const [t, c] of scrubCols) db.prepare(`UPDATE ${t} SET ${c} = replace(${c}, ?, ?) WHERE instr(${c}, ?) > 0`).run(secret, shown, secret);
      }
    }
  })();
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return plans.length;
}

/** What saveTeacher writes: endpoints and header references, plus the old references to delete once it is saved. */
export interface SealedSecrets {
  urls: StoredUrl[];
  headers: Record<string, string>;
  obsolete: string[];
}

/**
 * Puts the secrets of a teacher's new URLs and headers in the key store. A value that comes back as it was
 * shown (a URL with ***, a header value of ***: the form sends back what it was given) keeps the stored secret.
 */
export function sealSecrets(
  urls: string[],
  headers: Record<string, string>,
  existing: Pick<Teacher, 'baseUrls' | 'secretRefs'> | undefined,
  store: SecretStore,
): SealedSecrets {
  const oldUrls = new Map<string, string | null>();
  existing?.baseUrls.forEach((u, i) => oldUrls.set(u, existing.secretRefs.urls[i] ?? null));
  const kept = new Set<string>();
  // A value still in clear from an older version goes to the key store now rather than back into the project.
  const keep = (ref: string) => {
    kept.add(ref);
    return isLegacyRef(ref) ? newSecret(store, ref.slice(CLEAR.length)) : ref;
  };
  const out: SealedSecrets = { urls: [], headers: {}, obsolete: [] };
  for (const url of urls) {
    if (!urlHasSecrets(url)) {
      out.urls.push({ url, ref: null });
      continue;
    }
    const old = oldUrls.get(url);
    if (old && url.includes(REDACTED)) {
      out.urls.push({ url, ref: keep(old) });
      continue;
    }
    if (url.includes(REDACTED)) {
      throw new UserError(`The URL ${url} still holds the placeholder ${REDACTED} instead of its credentials; enter the full URL again.`, 'bad_url');
    }
    out.urls.push({ url: redactUrl(url), ref: newSecret(store, url) });
  }
  for (const [name, value] of Object.entries(headers)) {
    checkHeader(name, value);
    const old = Object.entries(existing?.secretRefs.headers ?? {}).find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
    if (value === REDACTED) {
      if (!old) throw new UserError(`The header "${name}" has the placeholder ${REDACTED} as its value; enter its real value.`, 'bad_header');
      out.headers[name] = keep(old);
      continue;
    }
    out.headers[name] = newSecret(store, value);
  }
  if (existing) {
    for (const ref of [...existing.secretRefs.urls, ...Object.values(existing.secretRefs.headers)]) if (ref && !kept.has(ref)) out.obsolete.push(ref);
  }
  return out;
}
