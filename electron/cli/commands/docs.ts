import { parseArgs } from 'node:util';
import { addDocuments, type FileReport } from '../../core/docs/ingest';
import { listDocuments } from '../../core/docs/store';
import { openProject } from '../../core/store/project';
import { intFlag } from '../args';
import { UsageError, type CliIO } from '../io';

const line = (f: FileReport): string => {
  switch (f.status) {
    case 'added':
      return `added      ${f.name}: ${f.pages} page${f.pages === 1 ? '' : 's'} (${f.pagesWithText} with text${f.scannedPages.length ? `, scanned — needs OCR: ${f.scannedPages.join(', ')}` : ''}), ${f.chars} characters, ${f.chunks} chunks, ${f.tokens} tokens${f.notes.length ? `\n           ${f.notes.join('\n           ')}` : ''}`;
    case 'duplicate':
      return `duplicate  ${f.name}: ${f.message}`;
    case 'failed':
      return `failed     ${f.message}`;
    case 'skipped':
      return `skipped    ${f.name}: ${f.message}`;
  }
};

/**
 * `docs add PROJECT FILES… [--tokenizer DIR] [--max-tokens N] [--no-ocr] [--json]` and `docs list PROJECT [--json]`:
 * reading and chunking live in core/docs (the Sources tab calls the same addDocuments); this file parses and prints.
 */
export async function runDocs(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { json: { type: 'boolean' }, tokenizer: { type: 'string' }, 'max-tokens': { type: 'string' }, 'no-ocr': { type: 'boolean' } } });
  } catch (e) {
    throw new UsageError(`docs ${sub ?? ''}: ${(e as Error).message.split('\n')[0]} (see "distillery --help").`);
  }
  const { values, positionals } = parsed;
  const json = Boolean(values.json);
  if (sub === 'add') {
    const [dir, ...files] = positionals;
    if (!dir || !files.length) throw new UsageError('docs add: missing PROJECT FILES… (usage: distillery docs add PROJECT FILE|FOLDER [FILE…] [--json]).');
    const maxTokens = intFlag('docs add', 'max-tokens', values['max-tokens'], 64, 8192);
    const project = openProject(dir);
    try {
      const r = await addDocuments(project, files.map((p) => ({ path: p })), { tokenizer: values.tokenizer, maxTokens, ocr: values['no-ocr'] ? false : undefined }, json ? undefined : (f) => io.stdout(line(f)));
      if (json) io.stdout(JSON.stringify(r));
      else io.stdout(`${r.added} added, ${r.duplicates} duplicates, ${r.failed} failed, ${r.skipped} skipped: ${r.pages} pages, ${r.chars} characters, ${r.chunks} chunks. Chunk sizes: ${r.tokenizer}.`);
      return r.failed > 0 ? 1 : 0;
    } finally {
      project.close();
    }
  }
  if (sub === 'list') {
    if (positionals.length !== 1) throw new UsageError('docs list: usage: distillery docs list PROJECT [--json].');
    const project = openProject(positionals[0]!);
    try {
      const docs = listDocuments(project.db);
      if (json) io.stdout(JSON.stringify(docs));
      else if (!docs.length) io.stdout('No documents yet: add some with "distillery docs add PROJECT FILES…".');
      else for (const d of docs) io.stdout(`#${d.id} ${d.status.padEnd(7)} ${d.name}: ${d.status === 'failed' ? d.error : `${d.pages} pages (${d.pages_text} with text, ${d.pages_scanned} scanned), ${d.chars} characters, ${d.chunks} chunks, ${d.questions} questions`}`);
      return 0;
    } finally {
      project.close();
    }
  }
  throw new UsageError(`docs: unknown subcommand "${sub ?? ''}" (docs add PROJECT FILES… | docs list PROJECT).`);
}
