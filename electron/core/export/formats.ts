import fs from 'node:fs';
import path from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import type { ExportSample } from './samples';

export const EXPORT_FORMATS = ['trl', 's1k', 'llamafactory', 'alpaca'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface FormatOptions {
  /** TRL: put the thinking in a separate `reasoning_content` field instead of <think> tags in the content. */
  reasoningField?: boolean;
  /** An optional system prompt added to every sample. */
  systemPrompt?: string | null;
  /** The dataset name used in LLaMA-Factory's dataset_info.json (default "distillery"). */
  datasetName?: string;
}

/** The assistant turn as s1 trains it: the thinking between <think> tags, then the answer. */
export function thinkTagged(s: ExportSample): string {
  return `<think>\n${s.thinking}\n</think>\n\n${s.answer}`;
}

/** The s1K `metadata` column: where the sample came from, as a JSON string. */
export function sampleMetadata(s: ExportSample): Record<string, unknown> {
  return {
    question_id: s.questionId,
    ext_id: s.extId,
    trace_id: s.traceId,
    domain: s.domain,
    reference_answer: s.reference,
    teacher: s.teacher,
    trace_source: s.traceSource,
    review: s.reviewStatus,
    reviewer: s.reviewer,
    verified: s.verdict,
    thinking_tokens: s.thinkingTokens,
    answer_tokens: s.answerTokens,
    tokens_counted_by: s.tokenSource,
    edited: s.edited,
    ...(s.edited ? { editors: s.editors } : {}),
    ...(s.questionMetadata ? { source_metadata: s.questionMetadata } : {}),
  };
}

export function trlRecord(s: ExportSample, o: FormatOptions): { messages: Record<string, string>[] } {
  const messages: Record<string, string>[] = [];
  if (o.systemPrompt) messages.push({ role: 'system', content: o.systemPrompt });
  messages.push({ role: 'user', content: s.question });
  messages.push(o.reasoningField ? { role: 'assistant', content: s.answer, reasoning_content: s.thinking } : { role: 'assistant', content: thinkTagged(s) });
  return { messages };
}

export function shareGptRecord(s: ExportSample, o: FormatOptions): Record<string, unknown> {
  return {
    conversations: [
      { from: 'human', value: s.question },
      { from: 'gpt', value: thinkTagged(s) },
    ],
    ...(o.systemPrompt ? { system: o.systemPrompt } : {}),
  };
}

export function alpacaRecord(s: ExportSample, o: FormatOptions): Record<string, string> {
  return { instruction: s.question, input: '', output: thinkTagged(s), ...(o.systemPrompt ? { system: o.systemPrompt } : {}) };
}

/** s1K's cot_type: the question's own (from an s1K-shaped import), else "math". */
function cotType(s: ExportSample): string {
  const v = s.questionMetadata?.cot_type;
  return typeof v === 'string' && v ? v : 'math';
}

function sourceType(s: ExportSample): string {
  const v = s.questionMetadata?.source_type;
  return typeof v === 'string' && v ? v : s.questionSource;
}

/** Writes the samples of one split in s1K's schema (simplescaling/s1K-1.1) as Parquet. */
export function writeS1kParquet(file: string, samples: readonly ExportSample[]): void {
  const str = (name: string, data: string[]) => ({ name, data });
  parquetWriteFile({
    filename: file,
    columnData: [
      str('question', samples.map((s) => s.question)),
      str('solution', samples.map((s) => s.solution ?? s.reference ?? '')),
      { name: 'thinking_trajectories', data: samples.map((s) => [s.thinking]) },
      str('attempt', samples.map((s) => s.answer)),
      str('cot_type', samples.map(cotType)),
      str('source_type', samples.map(sourceType)),
      str('metadata', samples.map((s) => JSON.stringify(sampleMetadata(s)))),
    ],
    schema: [
      { name: 'schema', num_children: 7 },
      { name: 'question', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'solution', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'thinking_trajectories', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'attempt', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'cot_type', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'source_type', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'metadata', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ],
    kvMetadata: [{ key: 'distillery.schema', value: 's1K' }],
    createdBy: 'Distillery',
  });
}

function writeJsonl(file: string, records: readonly unknown[]): void {
  fs.writeFileSync(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

export const FILE_EXT: Record<ExportFormat, string> = { trl: 'jsonl', s1k: 'parquet', llamafactory: 'json', alpaca: 'json' };

/** Writes one split (`name` is "train" or "validation") into `dir`; returns the file name written. */
export function writeSplit(dir: string, name: string, format: ExportFormat, samples: readonly ExportSample[], o: FormatOptions): string {
  const file = `${name}.${FILE_EXT[format]}`;
  const abs = path.join(dir, file);
  switch (format) {
    case 'trl':
      writeJsonl(abs, samples.map((s) => trlRecord(s, o)));
      break;
    case 's1k':
      writeS1kParquet(abs, samples);
      break;
    case 'llamafactory':
      writeJson(abs, samples.map((s) => shareGptRecord(s, o)));
      break;
    case 'alpaca':
      writeJson(abs, samples.map((s) => alpacaRecord(s, o)));
      break;
  }
  return file;
}

/** LLaMA-Factory's dataset_info.json: one entry per split file, naming the columns and the ShareGPT tags. */
export function llamaFactoryInfo(files: { split: string; file: string }[], o: FormatOptions): Record<string, unknown> {
  const name = o.datasetName ?? 'distillery';
  const info: Record<string, unknown> = {};
  for (const f of files) {
    info[`${name}_${f.split}`] = {
      file_name: f.file,
      formatting: 'sharegpt',
      columns: { messages: 'conversations', ...(o.systemPrompt ? { system: 'system' } : {}) },
      tags: { role_tag: 'from', content_tag: 'value', user_tag: 'human', assistant_tag: 'gpt' },
    };
  }
  return info;
}
