import os from 'node:os';
import path from 'node:path';
import type { CompletionRequest, CompletionResult } from '../chat/complete';
import type { TextGenerator } from '../chat/generator';
import { loadChatTemplate, type ChatTemplate } from '../chat/template';
import { loadTokenizerFile, type LoadedTokenizer } from '../tokens';
import { UserError } from '../util/errors';
import { checkCuda, checkInAppFolder, exportCommands, moduleUrl, workerFile, type InferDevice } from './folder';
import { startHost, type EngineHost, type HostKind } from './host';

export interface InAppOptions {
  /** 'cpu' (default) or 'cuda' (opt-in: needs onnxruntime-node's CUDA provider). */
  device?: InferDevice;
  /** ONNX Runtime intra-op threads; default: the machine's cores. */
  threads?: number;
  /** Where the model runs: 'process' (default; a child process with its own allocator settings) or 'thread'. */
  host?: HostKind;
}

/** What the in-app engine says about one generation, beyond the completions contract. */
export interface InAppResult extends CompletionResult {
  completionTokens: number;
  /** The generated token ids (an end-of-sequence token included when it ended the text). */
  tokenIds: number[];
  promptTokens: number;
  /** CPU time the engine's process spent on this generation (with a thread host, the whole app's). */
  cpuMs: number;
  /** Prompt tokens whose keys and values came from the previous generation (a prompt that extends it). */
  reusedTokens: number;
}

export interface InAppRequest extends CompletionRequest {
  topK?: number;
  /** false: prefill the whole prompt even when it extends the previous one. */
  reuseCache?: boolean;
  /** Generate through end-of-sequence tokens (benchmarks that need an exact number of tokens). */
  ignoreEos?: boolean;
}

export interface ModelInfo {
  cache: boolean;
  logitsToKeep: boolean;
  eos: number[];
  maxContext: number | null;
}

interface Pending {
  text: string;
  req: InAppRequest;
  resolve: (r: InAppResult) => void;
  reject: (e: Error) => void;
}

type WorkerMessage =
  | ({ type: 'ready' } & ModelInfo)
  | { type: 'failed'; message: string }
  | { type: 'text'; id: number; text: string }
  | { type: 'done'; id: number; result: InAppResult }
  | { type: 'aborted'; id: number }
  | { type: 'error'; id: number; message: string }
  | { type: 'closed' };

const abortError = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : Object.assign(new Error('The generation was cancelled.'), { name: 'AbortError' });

/**
 * A model exported to ONNX, run in the app by transformers.js over onnxruntime-node off the main thread: in
 * a child process by default, or in a worker thread (host.ts says why the default is a process).
 * Requests run one at a time, in order; `close()` ends the worker.
 */
export class InAppModel implements TextGenerator {
  readonly name: string;
  readonly tokenizer: LoadedTokenizer;
  readonly template: ChatTemplate;
  info: ModelInfo | null = null;
  private readonly worker: EngineHost;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private closed = false;
  private dead: Error | null = null;
  private readonly exited: Promise<void>;

  private constructor(
    readonly dir: string,
    readonly device: InferDevice,
    readonly threads: number,
    host: HostKind,
  ) {
    this.name = path.basename(dir);
    this.tokenizer = loadTokenizerFile(path.join(dir, 'tokenizer.json'));
    this.template = loadChatTemplate(dir);
    this.worker = startHost(host, workerFile(), {
      dir,
      device,
      threads,
      transformersUrl: moduleUrl('@huggingface/transformers'),
      tokenizersUrl: moduleUrl('@huggingface/tokenizers'),
    });
    this.exited = new Promise<void>((resolve) => this.worker.onExit(() => resolve()));
  }

  /** Opens `dir` (checked first); resolves once the model is loaded in its worker. */
  static async open(dirIn: string, opts: InAppOptions = {}): Promise<InAppModel> {
    const { dir, onnx } = checkInAppFolder(dirIn);
    const device = opts.device ?? 'cpu';
    if (device === 'cuda') checkCuda();
    const threads = Math.max(1, Math.floor(opts.threads ?? os.availableParallelism()));
    const m = new InAppModel(dir, device, threads, opts.host ?? 'process');
    try {
      m.info = await m.started(onnx);
    } catch (e) {
      await m.close();
      throw e;
    }
    return m;
  }

  private started(onnx: string): Promise<ModelInfo> {
    return new Promise<ModelInfo>((resolve, reject) => {
      this.worker.onMessage((msg) => {
        const m = msg as WorkerMessage;
        if (m.type === 'ready') {
          const { type: _t, ...info } = m;
          resolve(info);
        } else if (m.type === 'failed') {
          const cuda = this.device === 'cuda' ? ' CUDA needs an NVIDIA driver, CUDA 12 and cuDNN 9; choose the CPU device otherwise.' : '';
          reject(new UserError(`The in-app engine could not load ${onnx} (${m.message}); export the model again with ${exportCommands(this.dir)}.${cuda}`, 'onnx_load_failed'));
        } else this.onMessage(m);
      });
      this.worker.onError((e) => {
        this.fail(new Error(`The in-app engine's worker for ${this.dir} stopped: ${e.message}`));
        reject(this.dead);
      });
      this.worker.onExit((why) => {
        if (!this.closed) this.fail(new Error(`The in-app engine's worker for ${this.dir} exited (${why}).`));
        reject(this.dead ?? new Error('The in-app engine was closed.'));
      });
    });
  }

  private onMessage(m: WorkerMessage): void {
    if (m.type === 'ready' || m.type === 'failed' || m.type === 'closed') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'text') {
      p.text += m.text;
      p.req.onText?.(p.text);
      return;
    }
    this.pending.delete(m.id);
    if (m.type === 'done') {
      // Text held back while it could have begun a stop string, or its final characters.
      if (m.result.text !== p.text) p.req.onText?.(m.result.text);
      p.resolve(m.result);
    } else if (m.type === 'aborted') p.reject(abortError(p.req.signal as AbortSignal));
    else p.reject(new Error(`The in-app engine failed on ${this.dir}: ${m.message}`));
  }

  private fail(e: Error): void {
    this.dead ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** Continues `req.prompt` by at most `req.maxTokens` tokens; stops at `req.stop` (not included) or at the end of sequence. */
  continue(req: InAppRequest): Promise<InAppResult> {
    if (this.closed) return Promise.reject(new Error(`The in-app engine for ${this.dir} is closed.`));
    if (this.dead) return Promise.reject(this.dead);
    if (req.signal?.aborted) return Promise.reject(abortError(req.signal));
    const id = ++this.seq;
    return new Promise<InAppResult>((resolve, reject) => {
      const onAbort = () => this.worker.abort(id);
      req.signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => req.signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        text: '',
        req,
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      this.worker.postMessage({
        type: 'generate',
        req: {
          id,
          prompt: req.prompt,
          maxTokens: req.maxTokens,
          stop: req.stop ?? [],
          temperature: req.temperature,
          topP: req.topP,
          topK: req.topK,
          seed: req.seed,
          reuse: req.reuseCache !== false,
          ignoreEos: req.ignoreEos === true,
        },
      });
    });
  }

  /** Ends the worker (after the generation in progress); frees the model. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.worker.postMessage({ type: 'close' });
    const timer = setTimeout(() => this.worker.terminate(), 5_000);
    await this.exited;
    clearTimeout(timer);
    this.fail(new Error(`The in-app engine for ${this.dir} is closed.`));
  }
}
