import { latestFrozenRun } from '../curate/frozen';
import { getJob } from '../jobs';
import type { DB } from '../store/project';
import { pseudoSummary } from '../augment/pseudo';
import { evalsetFlags, flaggedCount } from '../pool/question-rows';
import { reviewerTallies } from '../review/export-reads';
import { DEFAULT_PROMPT } from '../teacher/params';
import { findTeacher, savedGenerationSettings } from '../teacher/store';
import type { ExportSample } from './samples';
import type { ExportTokenizer } from './tokens';

export interface Stat {
  mean: number;
  median: number;
  p90: number;
}

export interface TokenStats {
  /** 'tokens' when every sample has a token count, else 'characters'. */
  unit: 'tokens' | 'characters';
  thinking: Stat | null;
  answer: Stat | null;
  /** Which tokenizer counted: the student's (every sample, its current text) or the teacher's stored counts. */
  tokenizer: ExportTokenizer;
  /** Samples whose text was edited in review (their counts are of the edited text). */
  edited: number;
  /** Without a student tokenizer: edited samples recounted with the teacher model's tokenizer / estimated. */
  recounted: number;
  estimated: number;
}

function stat(xs: number[]): Stat | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] as number;
  const mid = s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
  return { mean: Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 10) / 10, median: mid, p90: q(0.9) };
}

export function tokenStats(samples: readonly ExportSample[], tokenizer: ExportTokenizer): TokenStats {
  const tokens = samples.length > 0 && samples.every((s) => s.thinkingTokens !== null && s.answerTokens !== null);
  const how = {
    tokenizer,
    edited: samples.filter((s) => s.edited).length,
    recounted: samples.filter((s) => s.tokenSource === 'teacher-tokenizer').length,
    estimated: samples.filter((s) => s.tokenSource === 'estimate').length,
  };
  return tokens
    ? { unit: 'tokens', thinking: stat(samples.map((s) => s.thinkingTokens as number)), answer: stat(samples.map((s) => s.answerTokens as number)), ...how }
    : { unit: 'characters', thinking: stat(samples.map((s) => s.thinking.length)), answer: stat(samples.map((s) => s.answer.length)), ...how };
}

const tableExists = (db: DB, name: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

function parse<T>(s: string | null | undefined): T | null {
  if (!s) return null;
  try {
    return JSON.parse(s) as T;
  } catch {
    return null;
  }
}

export interface Provenance {
  teachers: { name: string; model: string | null; systemPrompt: string | null; samples: number }[];
  imported: number;
  /** Samples whose question the teacher wrote from a document chunk (questions.source 'synthesized', core/docs). */
  synthesized?: number;
  prompts: { promptTemplate: string; systemPrompt: string | null; source: string }[];
  curation: { runId: number; seed: number; createdAt: string; frozenAt: string | null; selected: number; recipe: unknown; funnel: unknown } | null;
  decontamination: { evalsets: { name: string; items: number; flagged: number }[]; flaggedInExport: number };
  /** Per person: decisions (whole project) and `edited`, the traces whose text they changed (whole project). */
  reviewers: { reviewer: string; accepted: number; rejected: number; needsWork: number; todo: number; edited: number }[];
  /** Exported samples whose text differs from the teacher's original, and who edited them. */
  edits: { samples: number; exported: number; byEditor: { editor: string; samples: number }[] };
  tokens: TokenStats;
  /** Samples whose thinking is empty (a teacher that does not reason), and samples cut at max tokens. */
  completeness: Completeness;
  /** Exported questions whose reference is a pseudo-label (the teacher's majority answer), and their agreement. */
  pseudoLabels: { count: number; unsure: number; histogram: { bucket: string; count: number }[] };
}

export interface Completeness {
  samples: number;
  noThinking: number;
  truncated: number;
}

/** How many samples carry no thinking and how many were cut at the token limit (finish_reason length). */
export function completeness(samples: readonly ExportSample[]): Completeness {
  return { samples: samples.length, noThinking: samples.filter((s) => !s.thinking.trim()).length, truncated: samples.filter((s) => s.finishReason === 'length').length };
}

/** Everything the dataset card says about where the samples came from, read from the project. */
export function provenance(db: DB, samples: readonly ExportSample[], tokenizer: ExportTokenizer): Provenance {
  const byTeacher = new Map<string, number>();
  let imported = 0;
  for (const s of samples) {
    if (s.traceSource === 'imported' && !s.teacher) imported++;
    else byTeacher.set(s.teacher ?? s.traceSource, (byTeacher.get(s.teacher ?? s.traceSource) ?? 0) + 1);
  }
  const teachers = [...byTeacher].map(([name, n]) => {
    const t = findTeacher(db, name);
    return { name, model: t?.model ?? null, systemPrompt: t?.systemPrompt ?? null, samples: n };
  });

  // The prompts actually sent: the generation jobs that produced the exported traces; else the saved settings.
  const prompts: Provenance['prompts'] = [];
  const seen = new Set<string>();
  const jobIds = [...new Set(samples.map((s) => s.jobId).filter((j): j is number => j !== null))];
  for (const id of jobIds) {
    const p = parse<{ promptTemplate?: string; systemPrompt?: string | null }>(getJob(db, id)?.params);
    const entry = { promptTemplate: p?.promptTemplate ?? DEFAULT_PROMPT, systemPrompt: p?.systemPrompt ?? null, source: `generation job ${id}` };
    const k = `${entry.promptTemplate}\u0000${entry.systemPrompt ?? ''}`;
    if (seen.has(k)) continue;
    seen.add(k);
    prompts.push(entry);
  }
  if (prompts.length === 0 && teachers.length > 0) {
    const p = parse<{ promptTemplate?: string; systemPrompt?: string | null }>(savedGenerationSettings(db));
    prompts.push({ promptTemplate: p?.promptTemplate ?? DEFAULT_PROMPT, systemPrompt: p?.systemPrompt ?? null, source: p ? 'saved generation settings' : 'default prompt' });
  }

  let curation: Provenance['curation'] = null;
  const r = latestFrozenRun(db);
  if (r) curation = { runId: r.id, seed: r.seed, createdAt: r.created_at, frozenAt: r.frozen_at, selected: r.selected, recipe: parse(r.recipe), funnel: parse(r.funnel) };

  const evalsets = evalsetFlags(db);
  const flaggedInExport = samples.length ? flaggedCount(db, samples.map((s) => s.questionId)) : 0;

  // A person's edits count on traces whose current text differs from the teacher's original (revision 0).
  const reviewers = reviewerTallies(db);
  const byEditor = new Map<string, number>();
  for (const s of samples) for (const e of s.editors) byEditor.set(e, (byEditor.get(e) ?? 0) + 1);
  const edits = {
    samples: samples.filter((s) => s.edited).length,
    exported: samples.length,
    byEditor: [...byEditor].map(([editor, n]) => ({ editor, samples: n })).sort((a, b) => b.samples - a.samples || a.editor.localeCompare(b.editor)),
  };

  const ps = tableExists(db, 'pseudo_labels') ? pseudoSummary(db, [...new Set(samples.map((s) => s.questionId))]) : null;
  const pseudoLabels = { count: ps?.labelled ?? 0, unsure: ps?.unsure ?? 0, histogram: ps?.histogram ?? [] };
  return { teachers, imported, prompts, curation, decontamination: { evalsets, flaggedInExport }, reviewers, edits, tokens: tokenStats(samples, tokenizer), completeness: completeness(samples), pseudoLabels, synthesized: samples.filter((s) => s.questionSource === 'synthesized').length };
}

/** One sentence on which tokenizer counted the lengths. */
export function tokenNote(t: TokenStats): string {
  if (t.unit === 'characters') return 'Some traces have no token counts, so lengths are given in characters.';
  if (t.tokenizer.source === 'student') {
    return `Counted by the student's tokenizer (\`${t.tokenizer.dir}/tokenizer.json\`) on the exported text of every sample${t.edited ? `, ${t.edited} of them edited in review` : ''}.`;
  }
  const parts: string[] = [];
  if (t.recounted) parts.push(`${t.recounted} recounted with the teacher model's tokenizer`);
  if (t.estimated) parts.push(`${t.estimated} estimated at the original's tokens per character (set a student tokenizer in the Review step to count exactly)`);
  return (
    "Counted in the teacher's tokens, as stored at generation (the server's usage report, or a local teacher model's tokenizer)." +
    (t.edited ? ` ${t.edited === 1 ? 'The sample' : `The ${t.edited} samples`} edited in review ${t.edited === 1 ? 'was' : 'were'} counted again on the edited text: ${parts.join('; ')}.` : '')
  );
}

const fence = (s: string) => `\`\`\`\n${s.replace(/```/g, '`\u200b``')}\n\`\`\``;
const cell = (s: string | number | null) => String(s ?? '—').replace(/\|/g, '\\|').replace(/\n/g, ' ');

export interface CardInput {
  projectName: string;
  projectId: string;
  format: string;
  include: string;
  scope: string;
  seed: number;
  val: number;
  files: { split: string; file: string; rows: number }[];
  createdAt: string;
  version: string;
  reasoningField: boolean;
  systemPrompt: string | null;
  prov: Provenance;
}

/** The dataset card (README.md): a Hugging Face-style YAML header naming the splits, then the provenance. */
export function datasetCard(c: CardInput): string {
  const p = c.prov;
  const total = c.files.reduce((a, f) => a + f.rows, 0);
  const L: string[] = [];
  L.push('---');
  L.push('configs:', '- config_name: default', '  data_files:');
  for (const f of c.files) L.push(`  - split: ${f.split}`, `    path: ${f.file}`);
  L.push('tags:', '- reasoning', '- distillation', '- distillery', '---', '');
  L.push(`# ${c.projectName} — reasoning traces`, '');
  L.push(
    `Exported by Distillery ${c.version} on ${c.createdAt} from project \`${c.projectId}\`: ${total} samples ` +
      `(${c.include === 'accepted' ? 'accepted by a reviewer' : 'every sample of the ' + c.scope + ', rejected traces left out'}), ` +
      `format \`${c.format}\`, validation fraction ${c.val}, seed ${c.seed}.`,
    '',
  );
  L.push('| Split | File | Rows |', '|---|---|---|');
  for (const f of c.files) L.push(`| ${f.split} | ${cell(f.file)} | ${f.rows} |`);
  L.push('');
  L.push(
    c.format === 's1k'
      ? 'Columns follow s1K: question, solution, thinking_trajectories (a list with one trace), attempt, cot_type, source_type, metadata (JSON string with the question and trace ids, teacher and review).'
      : c.reasoningField
        ? 'The assistant turn carries the answer in `content` and the thinking in `reasoning_content`.'
        : 'The assistant turn is `<think>\\n` + thinking + `\\n</think>\\n\\n` + answer.',
  );
  if (c.systemPrompt) L.push('', 'Every sample carries this system prompt:', '', fence(c.systemPrompt));
  L.push('', '## Teachers and prompts', '');
  if (p.teachers.length === 0 && p.imported === 0) L.push('No samples.');
  for (const t of p.teachers) L.push(`- **${t.name}**${t.model ? ` (model \`${t.model}\`)` : ''}: ${t.samples} samples${t.systemPrompt ? '; system prompt below' : ''}`);
  if (p.imported) L.push(`- Imported traces (teacher unknown): ${p.imported} samples`);
  if (p.synthesized) L.push(`- Questions written by the teacher from the project's documents (source "synthesized", each linked to its passage and quote): ${p.synthesized} samples`);
  for (const t of p.teachers) if (t.systemPrompt) L.push('', `System prompt of ${t.name}:`, '', fence(t.systemPrompt));
  for (const pr of p.prompts) {
    L.push('', `Prompt template (${pr.source}):`, '', fence(pr.promptTemplate));
    if (pr.systemPrompt) L.push('', 'System prompt:', '', fence(pr.systemPrompt));
  }
  L.push('', '## Curation', '');
  if (!p.curation) L.push('No curation run was frozen; the samples come from the whole question pool.');
  else {
    L.push(`Run ${p.curation.runId} (seed ${p.curation.seed}, created ${p.curation.createdAt}, frozen ${p.curation.frozenAt ?? '—'}), ${p.curation.selected} questions selected.`, '');
    const funnel = p.curation.funnel;
    if (Array.isArray(funnel)) {
      // The stored funnel (curate/pipeline.ts FunnelStep) is { stage, in, out }: questions entering and kept.
      L.push('| Stage | In | Kept | Dropped |', '|---|---|---|---|');
      const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
      for (const st of funnel as Record<string, unknown>[]) {
        const name = String(st.stage ?? st.name ?? st.label ?? '?');
        const i = num(st.in);
        const o = num(st.out);
        L.push(`| ${cell(name)} | ${cell(i)} | ${cell(o)} | ${cell(i !== null && o !== null ? i - o : null)} |`);
      }
      L.push('');
    } else if (funnel) L.push('Funnel:', '', fence(JSON.stringify(funnel, null, 2)), '');
    L.push('Recipe:', '', '```json', JSON.stringify(p.curation.recipe, null, 2), '```');
  }
  L.push('', '## Decontamination', '');
  if (p.decontamination.evalsets.length === 0) L.push('No evaluation set was registered; the samples were not checked against any benchmark.');
  else {
    L.push('| Evaluation set | Items | Pool questions flagged |', '|---|---|---|');
    for (const e of p.decontamination.evalsets) L.push(`| ${cell(e.name)} | ${e.items} | ${e.flagged} |`);
    L.push('', `Flagged questions are excluded from the pool; flagged questions in this export: ${p.decontamination.flaggedInExport}.`);
  }
  L.push('', '## Review', '');
  if (p.reviewers.length === 0) L.push('No review decisions or edits were recorded.');
  else {
    L.push(
      'Decisions and edits per person across the project (edited: traces whose text they changed and that still differ from the teacher\'s original).',
      '',
      '| Reviewer | Accepted | Rejected | Needs work | To do | Edited |',
      '|---|---|---|---|---|---|',
    );
    for (const r of p.reviewers) L.push(`| ${cell(r.reviewer)} | ${r.accepted} | ${r.rejected} | ${r.needsWork} | ${r.todo} | ${r.edited} |`);
  }
  const e = p.edits;
  L.push(
    '',
    e.samples === 0
      ? `None of the ${e.exported} exported samples was edited in review: every text is the teacher's original.`
      : `Edited in review: ${e.samples} of the ${e.exported} exported samples ${e.samples === 1 ? 'carries' : 'carry'} the reviewers' text instead of the teacher's original` +
          ` (by ${e.byEditor.map((b) => `${b.editor}: ${b.samples}`).join(', ')}).`,
  );
  L.push('', '## Thinking and truncation', '');
  const k = p.completeness;
  L.push(
    k.noThinking === 0
      ? `Every one of the ${k.samples} samples has thinking.`
      : `${k.noThinking} of the ${k.samples} samples have no thinking (their teacher did not reason); they were exported on request with an empty thinking part, so a student trained on them learns to answer without reasoning.`,
  );
  L.push(
    '',
    k.truncated === 0
      ? 'No sample was cut at the token limit.'
      : `${k.truncated} of the ${k.samples} samples were cut at the teacher's token limit (finish_reason length): their thinking or answer may stop mid-way.`,
  );
  if (p.pseudoLabels.count) {
    // Said apart from the real references: a pseudo-label is the teacher's majority answer, not a checked one.
    L.push('', '## Pseudo-labels', '');
    L.push(
      `${p.pseudoLabels.count} of the exported questions had no reference answer: their reference is a pseudo-label, the teacher's majority answer over several samples` +
        `${p.pseudoLabels.unsure ? ` (${p.pseudoLabels.unsure} of them "teacher unsure", below the agreement asked for)` : ''}.`,
      '',
      '| Agreement | Questions |',
      '|---|---|',
    );
    for (const b of p.pseudoLabels.histogram) if (b.count) L.push(`| ${b.bucket} | ${b.count} |`);
  }
  L.push('', `## Length (${p.tokens.unit})`, '');
  L.push('| Part | Mean | Median | p90 |', '|---|---|---|---|');
  for (const [k, s] of [['thinking', p.tokens.thinking], ['answer', p.tokens.answer]] as const) L.push(`| ${k} | ${s?.mean ?? '—'} | ${s?.median ?? '—'} | ${s?.p90 ?? '—'} |`);
  L.push('', tokenNote(p.tokens));
  L.push('');
  return L.join('\n');
}
