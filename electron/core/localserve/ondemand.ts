import path from 'node:path';
import { LocalServers, type LocalServerInfo, type ServerKind } from './manager';

/**
 * Local servers started on demand: a local teacher remembers its model folder, not a port, and whatever
 * uses it (generation, the teacher test, evaluation) gets a ready server for that folder — one already
 * running, else a new one started here. The engine binds its own `LocalServers`, so the servers stop when
 * the project closes (in the CLI: when the command ends).
 */
let bound: LocalServers | null = null;

/** The engine's servers are the ones started on demand (engine/index.ts binds them). */
export function bindOnDemand(servers: LocalServers): void {
  bound = servers;
}

/** The set made here when no engine bound one (a CLI command that opens the project itself). */
let fallback: LocalServers | null = null;

/** The bound servers, or a process-wide set when no engine bound one (stopOnDemand() stops it). */
export function onDemandServers(): LocalServers {
  return (bound ??= fallback = new LocalServers());
}

/** Stops the servers of the process-wide set (the CLI does when a command ends); an engine stops its own. */
export async function stopOnDemand(): Promise<void> {
  await fallback?.stopAll();
}

const starting = new WeakMap<LocalServers, Map<string, Promise<LocalServerInfo>>>();

/** A ready server for the folder: one already running (started here, on the Teacher step or by Evaluate), else a new one. */
export async function ensureServer(
  servers: LocalServers,
  dirIn: string,
  opts: { kind?: ServerKind; onStatus?: (message: string) => void } = {},
): Promise<LocalServerInfo> {
  const dir = path.resolve(dirIn);
  const { kind } = opts;
  const running = servers.list().find((s) => s.modelDir === dir && s.status === 'ready' && (!kind || s.kind === kind));
  if (running) return running;
  let pending = starting.get(servers);
  if (!pending) starting.set(servers, (pending = new Map()));
  const key = `${dir}:${kind ?? ''}`;
  let p = pending.get(key);
  if (!p) {
    opts.onStatus?.(`Starting ${kind === 'vllm' ? 'vllm serve' : kind === 'transformers' ? 'transformers serve' : 'a local server'} for ${dir}…`);
    p = servers.start(dir, { kind }).finally(() => pending.delete(key));
    pending.set(key, p);
  }
  return p;
}
