/**
 * Which hosts are registered teachers: the host:port of every base URL in the teacher table of every project
 * this process has open. The teacher store registers each project database it reads teachers from (a loader
 * that lists their URLs) and says when a teacher is added, edited or removed; the policy asks `isTeacherHost`.
 * The answer comes from a cached set; a miss reloads once (another process, the CLI or the app, may have
 * just added the teacher) before the policy refuses. A loader that throws (its database closed) is dropped.
 */

type Loader = () => string[];

interface Source {
  load: Loader;
  /** False once the source is gone (its database closed): its teachers stop counting at once. */
  alive: () => boolean;
}

const sources = new Map<object, Source>();
let cache: Set<string> | null = null;

/** host:port as the policy compares it: lower case, no IPv6 brackets, the scheme's port when none is written. */
export function endpointKey(host: string, port: number): string {
  return `${host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '')}:${port}`;
}

export function urlEndpoint(url: string): { host: string; port: number } | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 };
  } catch {
    return null;
  }
}

function load(): Set<string> {
  const out = new Set<string>();
  for (const [key, src] of sources) {
    let urls: string[];
    try {
      urls = src.load();
    } catch {
      sources.delete(key);
      continue;
    }
    for (const u of urls) {
      const e = urlEndpoint(u);
      if (e) out.add(endpointKey(e.host, e.port));
    }
  }
  return out;
}

/** Registers the teachers of one source (a project database); called on every read of its teachers, so cheap when known. */
export function registerTeacherSource(key: object, load: Loader, alive: () => boolean = () => true): void {
  if (sources.has(key)) return;
  sources.set(key, { load, alive });
  cache = null;
}

function dropGone(): void {
  for (const [key, src] of sources) {
    if (src.alive()) continue;
    sources.delete(key);
    cache = null;
  }
}

/** A teacher was added, edited or removed: the next question reloads. */
export function teachersChanged(): void {
  cache = null;
}

/** Whether host:port is the endpoint of a registered teacher. */
export function isTeacherHost(host: string, port: number): boolean {
  const k = endpointKey(host, port);
  dropGone();
  if (!cache) cache = load();
  if (cache.has(k)) return true;
  cache = load();
  return cache.has(k);
}

/** For tests: forget every source. */
export function resetTeacherSources(): void {
  sources.clear();
  cache = null;
}
