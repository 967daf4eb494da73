import path from 'node:path';
import { loadTokenizerFile, type LoadedTokenizer } from '../tokens';
import { complete, type CompletionRequest, type CompletionResult, type CompletionTarget } from './complete';
import { loadChatTemplate, type ChatTemplate } from './template';

/**
 * Something that continues raw prompt text: a server's completions endpoint, or the in-app ONNX engine.
 * Budget forcing (evaluation) and regenerate-from-a-step (review) are written against this, so that both
 * work the same over vLLM, transformers serve, llama.cpp's server and the in-app engine.
 */
export interface TextGenerator {
  /** Shown in reports: the served model name or the folder. */
  readonly name: string;
  /** The model's own tokenizer: budgets are counted with it. */
  readonly tokenizer: LoadedTokenizer;
  /** The model's chat template, rendered in the app. */
  readonly template: ChatTemplate;
  /**
   * Continues `req.prompt` by at most `req.maxTokens` tokens (the server's count) and stops at any of
   * `req.stop` (the stop string is not part of the text). Callers recount with `tokenizer` where exactness matters.
   */
  continue(req: CompletionRequest): Promise<CompletionResult>;
  /** Frees what it holds (worker threads, sessions). */
  close?(): Promise<void>;
}

/** A generator over a completions endpoint; `modelDir` is the local folder with the model's tokenizer and template. */
export function completionGenerator(target: CompletionTarget, modelDir: string): TextGenerator {
  const dir = path.resolve(modelDir);
  return {
    name: target.model,
    tokenizer: loadTokenizerFile(path.join(dir, 'tokenizer.json')),
    template: loadChatTemplate(dir),
    continue: (req) => complete(target, req),
  };
}
