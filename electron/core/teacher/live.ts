import type { LocalServers, ServerKind } from '../localserve/manager';
import { ensureServer, onDemandServers } from '../localserve/ondemand';
import type { Teacher } from './store';

/**
 * The teacher as it can be reached now: a local teacher's server is started (or found) from its folder
 * and its URL and model name replace the stored ones; any other teacher is returned as it is.
 */
export async function liveTeacher(t: Teacher, opts: { servers?: LocalServers; onStatus?: (message: string) => void } = {}): Promise<Teacher> {
  if (!t.localDir) return t;
  const kind: ServerKind | undefined = t.preset === 'vllm' ? 'vllm' : t.preset === 'transformers' ? 'transformers' : undefined;
  const s = await ensureServer(opts.servers ?? onDemandServers(), t.localDir, { kind, onStatus: opts.onStatus });
  return { ...t, baseUrls: [s.baseUrl], model: s.model, secretRefs: { ...t.secretRefs, urls: [null] } };
}
