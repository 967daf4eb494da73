import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { childEnv } from '../egress/child-env';
import { pythonExecutable } from '../env/python';
import { UserError } from '../util/errors';

export type ServerKind = 'vllm' | 'transformers';
export type ServerStatus = 'starting' | 'ready' | 'stopped' | 'failed';

export interface LocalServerInfo {
  id: number;
  kind: ServerKind;
  modelDir: string;
  port: number;
  baseUrl: string;
  /** The model name to send in requests (the folder path, as both servers register it). */
  model: string;
  status: ServerStatus;
  pid: number | null;
  error: string | null;
  startedAt: string;
}

interface Running extends LocalServerInfo {
  proc: ResultPromise;
  log: string[];
}

const LOG_LINES = 400;

/** A free TCP port on loopback, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Checks that a folder holds a model a server can load (config, weights, tokenizer). */
export function checkModelFolder(dir: string): void {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new UserError(`The model folder ${abs} does not exist; choose the folder that holds config.json.`, 'not_found');
  if (!fs.existsSync(path.join(abs, 'config.json'))) throw new UserError(`${abs} has no config.json, so it is not a Hugging Face model folder; choose the folder that holds config.json and the weights.`, 'invalid_model');
  const files = fs.readdirSync(abs);
  if (!files.some((f) => f.endsWith('.safetensors') || f.endsWith('.bin') || f.endsWith('.safetensors.index.json'))) {
    throw new UserError(`${abs} has no weights (*.safetensors or *.bin); copy the model's weight files into it.`, 'invalid_model');
  }
  if (!files.includes('tokenizer.json') && !files.includes('tokenizer_config.json')) {
    throw new UserError(`${abs} has no tokenizer (tokenizer.json); copy the tokenizer files into the model folder.`, 'invalid_model');
  }
}

/** `vllm` next to the project's Python, else on PATH; null when vLLM is not installed. */
export function findVllm(): string | null {
  const beside = path.join(path.dirname(pythonExecutable()), 'vllm');
  if (fs.existsSync(beside)) return beside;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'vllm');
    if (dir && fs.existsSync(p)) return p;
  }
  return null;
}

/**
 * Starts and stops local OpenAI-compatible servers for model folders: `vllm serve` where vLLM is
 * installed, else `transformers serve` from the project's Python environment, always on a free loopback
 * port. Each server runs in its own process group so that stopping it leaves no GPU process behind.
 */
export class LocalServers {
  private readonly servers = new Map<number, Running>();
  private nextId = 1;

  list(): LocalServerInfo[] {
    return [...this.servers.values()].map(({ proc: _p, log: _l, ...info }) => info);
  }

  log(id: number): string[] {
    return [...(this.require(id).log)];
  }

  /** `port`: a given loopback port (serve-model --port); default a free one chosen by the OS. */
  async start(modelDir: string, opts: { kind?: ServerKind; device?: 'cpu' | 'cuda' | 'auto'; readyTimeoutMs?: number; port?: number } = {}): Promise<LocalServerInfo> {
    const dir = path.resolve(modelDir);
    checkModelFolder(dir);
    const vllm = opts.kind === 'transformers' ? null : findVllm();
    if (opts.kind === 'vllm' && !vllm) throw new UserError('vLLM is not installed in the Python environment or on PATH; install it on a GPU machine or use transformers serve.', 'no_vllm');
    const kind: ServerKind = vllm ? 'vllm' : 'transformers';
    const port = opts.port || (await freePort());
    const py = pythonExecutable();
    if (kind === 'transformers' && !fs.existsSync(py)) throw new UserError(`No Python environment at ${py}. Run "npm run setup:python" first.`, 'no_python');
    const transformersCli = path.join(path.dirname(py), 'transformers');
    const [cmd, args] =
      kind === 'vllm'
        ? [vllm as string, ['serve', dir, '--host', '127.0.0.1', '--port', String(port)]]
        : [transformersCli, ['serve', dir, '--host', '127.0.0.1', '--port', String(port), '--device', opts.device ?? 'auto']];
    const proc = execa(cmd, args, {
      detached: true,
      reject: false,
      all: true,
      buffer: false,
      env: childEnv(),
    });
    const id = this.nextId++;
    const s: Running = {
      id,
      kind,
      modelDir: dir,
      port,
      baseUrl: `http://127.0.0.1:${port}/v1`,
      model: dir,
      status: 'starting',
      pid: proc.pid ?? null,
      error: null,
      startedAt: new Date().toISOString(),
      proc,
      log: [],
    };
    this.servers.set(id, s);
    let partial = '';
    proc.all?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      s.log.push(...lines);
      if (s.log.length > LOG_LINES) s.log.splice(0, s.log.length - LOG_LINES);
    });
    void proc.then((r) => {
      if (s.status !== 'stopped') {
        s.status = 'failed';
        s.error = `The ${kind} server exited (code ${r.exitCode ?? r.signal}) — last lines: ${s.log.slice(-3).join(' | ')}`;
      }
    });
    // A large model loads for minutes; the UI shows the log meanwhile.
    await this.waitReady(s, opts.readyTimeoutMs ?? 900_000);
    return this.info(id);
  }

  info(id: number): LocalServerInfo {
    const { proc: _p, log: _l, ...info } = this.require(id);
    return info;
  }

  async stop(id: number): Promise<void> {
    const s = this.require(id);
    if (s.status === 'stopped') return;
    s.status = 'stopped';
    killGroup(s.pid, 'SIGTERM');
    const exited = await Promise.race([s.proc.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 8_000))]);
    if (!exited) killGroup(s.pid, 'SIGKILL');
    await s.proc;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.servers.keys()].map((id) => this.stop(id)));
  }

  private require(id: number): Running {
    const s = this.servers.get(id);
    if (!s) throw new UserError(`There is no local server ${id}.`, 'not_found');
    return s;
  }

  private async waitReady(s: Running, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (s.status === 'failed') throw new UserError(s.error ?? `The ${s.kind} server failed to start.`, 'server_failed');
      try {
        const r = await fetch(`http://127.0.0.1:${s.port}/v1/models`, { signal: AbortSignal.timeout(2_000) });
        if (r.ok) {
          s.status = 'ready';
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    await this.stop(s.id);
    throw new UserError(`The ${s.kind} server for ${s.modelDir} did not become ready within ${Math.round(timeoutMs / 1000)} s; see its log.`, 'server_timeout');
  }
}

function killGroup(pid: number | null, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal); // the whole process group: the server and every worker it spawned
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
