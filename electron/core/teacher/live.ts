import type { LocalServers, ServerKind } from '../localserve/manager';
import { ensureServer, onDemandServers } from '../localserve/ondemand';
import type { Teacher } from './store';

function kindOf(t: Pick<Teacher, 'preset'>): ServerKind | undefined {
  return t.preset === 'vllm' ? 'vllm' : t.preset === 'transformers' ? 'transformers' : undefined;
}

/**
 * The teacher as it can be reached now: a local teacher's server is started (or found) from its folder
 * and its URL and model name replace the stored ones; any other teacher is returned as it is. The result
 * is an already-running server, so its `localDir` is null (teacherConnection() then gives its real URL).
 */
export async function liveTeacher(t: Teacher, opts: { servers?: LocalServers; onStatus?: (message: string) => void } = {}): Promise<Teacher> {
  if (!t.localDir) return t;
  const s = await ensureServer(opts.servers ?? onDemandServers(), t.localDir, { kind: kindOf(t), onStatus: opts.onStatus });
  return { ...t, localDir: null, baseUrls: [s.baseUrl], model: s.model, secretRefs: { ...t.secretRefs, urls: [null] } };
}

/**
 * The endpoint a local teacher's connection carries in place of its saved URL (a placeholder, or the port of
 * a server long gone): `local[+kind]:<model folder>/v1`. It ends in /v1 so that callers that add /v1 leave it
 * as it is; client.ts turns it into the URL of a started server before every request (resolveEndpoint), so
 * every caller (judge, synthesis, augment, labeller, regenerate…) starts the teacher on demand.
 */
export function localEndpoint(t: Pick<Teacher, 'preset'> & { localDir: string }): string {
  const kind = kindOf(t);
  return `local${kind ? `+${kind}` : ''}:${t.localDir}/v1`;
}

const LOCAL = /^local(?:\+(vllm|transformers))?:(.+)\/v1\/?$/;

/** True for an endpoint made by localEndpoint(). */
export function isLocalEndpoint(endpoint: string): boolean {
  return LOCAL.test(endpoint);
}

/** The URL a request to `endpoint` goes to: a local teacher's server started (or found) now; any other endpoint as it is. */
export async function resolveEndpoint(endpoint: string): Promise<string> {
  const m = LOCAL.exec(endpoint);
  if (!m) return endpoint;
  const s = await ensureServer(onDemandServers(), m[2] as string, { kind: m[1] as ServerKind | undefined });
  return s.baseUrl;
}
