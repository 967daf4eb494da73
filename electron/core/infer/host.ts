import { fork, type ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';

/**
 * Where the in-app engine's worker (worker.mjs) runs.
 *
 * - 'process' (the default): a child Node process (Electron's own binary as Node when packaged). Besides
 *   isolating the app from a crash in the native runtime and handing all the model's memory back on close, it
 *   lets the engine start with its own allocator settings: on Linux, glibc's malloc is told to back its large
 *   blocks with transparent huge pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1). A decoder reads every weight
 *   for each token, so fewer TLB misses show directly in tokens/s (about 10–15% on this project's models with
 *   THP in `madvise` mode, the usual default). The setting can only be made when a process starts, hence the
 *   child. An explicit glibc.malloc.hugetlb in the user's GLIBC_TUNABLES is left as it is.
 * - 'thread': a worker thread of the calling process (no allocator settings of its own).
 */
export type HostKind = 'process' | 'thread';

export interface HostSettings {
  dir: string;
  device: string;
  threads: number;
  transformersUrl: string;
  tokenizersUrl: string;
}

export interface EngineHost {
  readonly kind: HostKind;
  /** The process the model runs in. */
  readonly pid: number | undefined;
  postMessage(m: unknown): void;
  /** Cancels request `id` between two steps of its generation. */
  abort(id: number): void;
  onMessage(fn: (m: unknown) => void): void;
  onError(fn: (e: Error) => void): void;
  /** `fn` gets how it ended ("code 1", "signal SIGKILL", with the end of its error output when there is one). */
  onExit(fn: (why: string) => void): void;
  terminate(): void;
}

/** The environment of a child host: huge pages for malloc on Linux, Node mode for Electron's binary. */
export function childEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = { ...base };
  if (process.platform === 'linux' && !/glibc\.malloc\.hugetlb=/.test(env.GLIBC_TUNABLES ?? '')) {
    env.GLIBC_TUNABLES = [env.GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1'].filter(Boolean).join(':');
  }
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  return env;
}

export function startHost(kind: HostKind, file: string, settings: HostSettings): EngineHost {
  return kind === 'thread' ? threadHost(file, settings) : processHost(file, settings);
}

function threadHost(file: string, settings: HostSettings): EngineHost {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const w = new Worker(file, { workerData: { ...settings, abort: flag.buffer } });
  return {
    kind: 'thread',
    pid: process.pid,
    postMessage: (m) => w.postMessage(m),
    abort: (id) => Atomics.store(flag, 0, id),
    onMessage: (fn) => void w.on('message', fn),
    onError: (fn) => void w.on('error', fn),
    onExit: (fn) => void w.once('exit', (code) => fn(`code ${code}`)),
    terminate: () => void w.terminate(),
  };
}

function processHost(file: string, settings: HostSettings): EngineHost {
  const child: ChildProcess = fork(file, [], {
    execPath: process.execPath,
    execArgv: [], // not the TypeScript loaders of a development run: worker.mjs is plain JavaScript
    env: childEnv(),
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    process.stderr.write(d);
    stderr = (stderr + d).slice(-2000);
  });
  const send = (m: unknown) => {
    if (child.connected) child.send(m as object);
  };
  send({ type: 'init', settings });
  return {
    kind: 'process',
    pid: child.pid,
    postMessage: send,
    abort: (id) => send({ type: 'abort', id }),
    onMessage: (fn) => void child.on('message', fn),
    onError: (fn) => void child.on('error', fn),
    onExit: (fn) =>
      void child.once('exit', (code, signal) => {
        const tail = stderr.trim().split('\n').slice(-3).join(' ').slice(-400);
        fn(`${signal ? `signal ${signal}` : `code ${code}`}${tail ? `: ${tail}` : ''}`);
      }),
    terminate: () => void child.kill('SIGKILL'),
  };
}
