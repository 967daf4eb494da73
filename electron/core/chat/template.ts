import fs from 'node:fs';
import path from 'node:path';
import { Template } from '@huggingface/jinja';
import { UserError } from '../util/errors';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatTemplate {
  /** Where the template was read from (shown in errors and reports). */
  file: string;
  bosToken: string;
  eosToken: string;
  /** The model's thinking delimiters: "<think>" / "</think>" unless its vocabulary says otherwise. */
  thinkOpen: string;
  thinkClose: string;
  /** Renders a conversation the way transformers' apply_chat_template(tokenize=False) does. */
  render(messages: readonly ChatMessage[], opts?: { addGenerationPrompt?: boolean; extra?: Record<string, unknown> }): string;
}

type TokenField = string | { content?: string } | null | undefined;
const tokenText = (t: TokenField): string => (typeof t === 'string' ? t : (t?.content ?? ''));

function readJson(file: string): Record<string, unknown> | null {
  if (!fs.existsSync(file)) return null;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new UserError(`${file} is not valid JSON (${(e as Error).message}); restore it from the model's original download.`, 'bad_model_file');
  }
}

/** Picks the template source: chat_template.jinja, then chat_template.json, then tokenizer_config.json's field. */
function templateSource(dir: string, cfg: Record<string, unknown> | null): { src: string; file: string } {
  const jinja = path.join(dir, 'chat_template.jinja');
  if (fs.existsSync(jinja)) return { src: fs.readFileSync(jinja, 'utf8'), file: jinja };
  const json = path.join(dir, 'chat_template.json');
  const j = readJson(json);
  if (j && typeof j.chat_template === 'string') return { src: j.chat_template, file: json };
  const field = cfg?.chat_template;
  const file = path.join(dir, 'tokenizer_config.json');
  if (typeof field === 'string') return { src: field, file };
  if (Array.isArray(field)) {
    const named = field as { name?: string; template?: string }[];
    const t = named.find((x) => x.name === 'default') ?? named[0];
    if (t?.template) return { src: t.template, file };
  }
  throw new UserError(
    `The model folder ${dir} has no chat template (looked for chat_template.jinja, chat_template.json and the "chat_template" field of tokenizer_config.json); choose an instruct or reasoning model, or add its template file.`,
    'no_chat_template',
  );
}

const cache = new Map<string, ChatTemplate>();

/** The chat template of a local model folder, rendered in the app with @huggingface/jinja. */
export function loadChatTemplate(modelDir: string): ChatTemplate {
  const dir = path.resolve(modelDir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UserError(`The model folder ${dir} does not exist; choose the folder that holds config.json and tokenizer.json.`, 'no_model_dir');
  }
  const cfg = readJson(path.join(dir, 'tokenizer_config.json'));
  const { src, file } = templateSource(dir, cfg);
  const st = fs.statSync(file);
  const key = `${file}:${st.size}:${st.mtimeMs}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let tpl: Template;
  try {
    tpl = new Template(src);
  } catch (e) {
    throw new UserError(`The chat template in ${file} does not parse (${(e as Error).message}); fix or replace the template file.`, 'bad_chat_template');
  }
  const bosToken = tokenText(cfg?.bos_token as TokenField);
  const eosToken = tokenText(cfg?.eos_token as TokenField);
  const added = Object.values((cfg?.added_tokens_decoder ?? {}) as Record<string, { content?: string }>).map((t) => t.content ?? '');
  const tokJson = readJsonQuiet(path.join(dir, 'tokenizer.json'));
  const addedJson = ((tokJson?.added_tokens ?? []) as { content?: string }[]).map((t) => t.content ?? '');
  const vocab = new Set([...added, ...addedJson]);
  // Models that think under other names (e.g. "<|begin_of_thought|>") are named by their vocabulary.
  const pairs: [string, string][] = [
    ['<think>', '</think>'],
    ['<thinking>', '</thinking>'],
    ['<|begin_of_thought|>', '<|end_of_thought|>'],
    ['<reasoning>', '</reasoning>'],
  ];
  const pair = pairs.find(([o, c]) => vocab.has(o) && vocab.has(c)) ?? ['<think>', '</think>'];
  const t: ChatTemplate = {
    file,
    bosToken,
    eosToken,
    thinkOpen: pair[0],
    thinkClose: pair[1],
    render(messages, opts = {}) {
      try {
        return tpl.render({
          messages,
          add_generation_prompt: opts.addGenerationPrompt ?? false,
          bos_token: bosToken,
          eos_token: eosToken,
          ...opts.extra,
        });
      } catch (e) {
        throw new UserError(`The chat template in ${file} failed to render this conversation: ${(e as Error).message}.`, 'chat_template_error');
      }
    },
  };
  cache.set(key, t);
  return t;
}

function readJsonQuiet(file: string): Record<string, unknown> | null {
  try {
    return readJson(file);
  } catch {
    return null;
  }
}
