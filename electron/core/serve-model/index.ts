/**
 * Serving a distilled student to other applications: an OpenAI-compatible endpoint on loopback. An ONNX
 * folder runs in the in-app engine behind a small Node server (openai.ts); a Hugging Face folder is served
 * by vLLM where installed, else transformers serve (LocalServers, in its own process group).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { hasOnnx } from '../eval/models';
import { LocalServers, type ServerKind } from '../localserve/manager';
import { UserError } from '../util/errors';
import { startOpenAiServer } from './openai';

export const LOOPBACK = ['127.0.0.1', 'localhost', '::1'] as const;

export interface ServedModel {
  /** Base URL ending in /v1. */
  url: string;
  /** The model name clients send. */
  model: string;
  engine: 'in-app' | ServerKind;
  pid: number | null;
  close(): Promise<void>;
}

/** Refuses a busy port with one sentence before a server is started on it. */
async function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new UserError(`Port ${port} on ${host} is already in use (another server or program); choose another with --port N, or --port 0 for any free port.`, 'port_busy')
          : e,
      ),
    );
    s.listen(port, host, () => s.close(() => resolve()));
  });
}

/** Starts the endpoint for `dir` on `host:port` (port 0: any free one); `close()` stops it and every process it started. */
export async function serveModel(dirIn: string, opts: { host?: string; port?: number; kind?: ServerKind; device?: 'cpu' | 'cuda' | 'auto' } = {}): Promise<ServedModel> {
  const dir = path.resolve(dirIn);
  const host = opts.host ?? '127.0.0.1';
  if (!(LOOPBACK as readonly string[]).includes(host)) {
    throw new UserError(
      `The student is served on loopback only (127.0.0.1, localhost or ::1), not on ${host}: the endpoint has no authentication, so anyone who reaches that address could use the model; put an authenticating reverse proxy in front of it to share it.`,
      'not_loopback',
    );
  }
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UserError(`The model folder ${dir} does not exist; give the folder of an exported student (ONNX) or a model folder with config.json.`, 'not_found');
  const port = opts.port ?? 8000;
  await checkPortFree(host, port);
  if (hasOnnx(dir) && !opts.kind) {
    // Loaded only for ONNX folders: it brings onnxruntime-node.
    const { openInAppModel } = await import('../infer/index');
    const gen = await openInAppModel(dir, { device: opts.device === 'cuda' ? 'cuda' : 'cpu' });
    const modelId = path.basename(dir);
    try {
      const srv = await startOpenAiServer(gen, { host, port, modelId });
      return {
        url: srv.url,
        model: modelId,
        engine: 'in-app',
        pid: process.pid,
        close: async () => {
          await srv.close();
          await gen.close();
        },
      };
    } catch (e) {
      await gen.close();
      throw e;
    }
  }
  if (host !== '127.0.0.1') throw new UserError(`A model folder served by transformers serve or vLLM listens on 127.0.0.1 only; leave out --host ${host}.`, 'not_loopback');
  const servers = new LocalServers();
  const info = await servers.start(dir, { kind: opts.kind, device: opts.device, port });
  return { url: info.baseUrl, model: info.model, engine: info.kind, pid: info.pid, close: () => servers.stopAll() };
}
