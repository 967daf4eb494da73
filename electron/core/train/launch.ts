/**
 * Starts the Python worker in its own process group, streams its JSON-lines events, and stops
 * it gracefully (SIGTERM: the worker saves a checkpoint and exits) then ends the whole group.
 */
import readline from 'node:readline';
import { execa } from 'execa';
import { childEnv } from '../egress/child-env';

export interface TrainEvent {
  event: string;
  [key: string]: unknown;
}

export interface WorkerHandle {
  pid: number;
  /** resolves with the exit code once the worker and its stdout are done */
  done: Promise<number>;
  /** graceful stop: SIGTERM to the group, then SIGKILL to the group after `graceMs` */
  cancel: (graceMs?: number) => Promise<void>;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function startWorker(argv: string[], opts: { cwd?: string; logFile: string; env?: Record<string, string>; onEvent: (e: TrainEvent) => void }): WorkerHandle {
  const [file, ...args] = argv;
  if (!file) throw new Error('startWorker: empty command.');
  const child = execa(file, args, {
    cwd: opts.cwd,
    detached: true, // own process group: cancel reaches accelerate's children too
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: { file: opts.logFile, append: true },
    reject: false,
    cleanup: false,
    buffer: false,
    env: childEnv({ PYTHONUNBUFFERED: '1', ...opts.env }),
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start ${file}.`);
  const rl = readline.createInterface({ input: child.stdout });
  const linesDone = new Promise<void>((resolve) => rl.once('close', () => resolve()));
  rl.on('line', (line) => {
    const t = line.trim();
    if (!t) return;
    try {
      opts.onEvent(JSON.parse(t) as TrainEvent);
    } catch {
      opts.onEvent({ event: 'log', message: t });
    }
  });
  const done = (async () => {
    const r = await child;
    await linesDone;
    // never leave the group's processes behind (e.g. dataloader or accelerate children)
    if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
    return r.exitCode ?? (r.signal ? 128 : 1);
  })();
  const cancel = async (graceMs = 120_000) => {
    killGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
    try {
      await done;
    } finally {
      clearTimeout(timer);
    }
  };
  return { pid, done, cancel };
}
