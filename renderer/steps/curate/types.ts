import type { TFunction } from 'i18next';
import type { api } from '../../api/client';
import { domainName } from './Embedding';

export type Recipe = Awaited<ReturnType<typeof api.curate.defaults.query>>;
export type FormatRule = Recipe['quality']['formatRules'][number];
export type Preview = Awaited<ReturnType<typeof api.curate.preview.query>>;
export type RunSummary = Awaited<ReturnType<typeof api.curate.runs.query>>[number];
export type RunDetail = Awaited<ReturnType<typeof api.curate.detail.query>>;
export type DecisionRow = Awaited<ReturnType<typeof api.curate.decisions.query>>['rows'][number];
export type Explanation = Awaited<ReturnType<typeof api.curate.explain.query>>;
export type Funnel = Preview['funnel'];
export type Histogram = Preview['histogram'];

export const STAGES = ['pool', 'override', 'pin', 'quality', 'difficulty', 'diversity'] as const;

/** The stage name in the user's language (the engine's own name when it is not one we know). */
export function stageName(t: TFunction, stage: string): string {
  return (STAGES as readonly string[]).includes(stage) ? t(`curate.stage.${stage}`) : stage;
}

const str = (v: unknown, none = '—'): string => (v === null || v === undefined || v === '' ? none : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** A decision's stage, rule and values as one readable sentence. */
export function reasonText(t: TFunction, d: { rule: string; detail: Record<string, unknown> }): string {
  const x = d.detail;
  const unit = (u: unknown) => (u === 'chars' ? t('curate.knobs.unitChars') : u === 'tokens' ? t('curate.knobs.unitTokens') : u === 'chain_score' ? t('curatePresets.chainUnit') : str(u));
  if (d.rule.startsWith('format:')) {
    const field = str(x.field, 'question');
    const f = ['question', 'thinking', 'answer'].includes(field) ? t(`curate.knobs.field${field[0]!.toUpperCase()}${field.slice(1)}`) : field;
    return t('curate.reason.format', { name: d.rule.slice(7), field: f });
  }
  switch (d.rule) {
    case 'generation_failed':
      return t('curate.reason.generation_failed', { error: x.error ? `: ${str(x.error)}` : '' });
    case 'repetition':
      return t('curate.reason.repetition', { value: str(x.value), max: str(x.max), n: str(x.n) });
    case 'wrong_language':
      return t('curate.reason.wrong_language', { expected: str(x.expected), value: str(x.cjkRatio) });
    case 'thinking_length':
      return t('curate.reason.thinking_length', { value: str(x.value), unit: unit(x.unit), min: str(x.min, '0'), max: str(x.max, '∞') });
    case 'solved_by_filter_model':
      return t('curate.reason.solved_by_filter_model', { solved: str(x.solved), attempts: str(x.attempts), limit: str(x.solvedAtLeast) });
    case 'short_thinking':
      return t('curate.reason.short_thinking', { value: str(x.value), unit: str(x.unit), min: str(x.min) });
    case 'sampled':
      return t('curate.reason.sampled', { domain: domainName(t, str(x.domain)), rank: Number(x.rank ?? 0) + 1, size: str(x.domainCandidates), order: str(x.order), length: str(x.length), unit: unit(x.unit) });
    case 'longest':
      return t('curate.reason.longest', { order: str(x.order), length: str(x.length), unit: str(x.unit) });
    case 'not_sampled':
      return t('curate.reason.not_sampled', { target: str(x.target), domain: domainName(t, str(x.domain)), length: str(x.length), unit: str(x.unit) });
    case 'teacher_unsure':
      return t('curateAgreement.reason', { agreement: str(x.agreement), votes: str(x.votes), samples: str(x.samples) });
    case 'outside_band': {
      const b = (x.band ?? {}) as Record<string, unknown>;
      return t('curatePresets.reason.outside_band', { name: str(b.name), model: str(b.model), solved: str(b.solved), attempts: str(b.attempts), min: str(b.min), max: str(b.max), k: str(b.k) });
    }
    case 'best_chain':
      return t('curatePresets.reason.best_chain', { order: str(x.order), score: str(x.length) });
    case 'pseudo_label_disagrees':
      return t('curateAgreement.disagrees', { answer: str(x.pseudoLabel), votes: str(x.votes), samples: str(x.samples) });
    case 'excluded_from_pool':
      return t('curate.reason.excluded_from_pool', { reason: str(x.reason) });
    case 'no_trace':
    case 'missing_thinking':
    case 'unterminated_thinking':
    case 'unextractable_answer':
    case 'wrong_answer':
    case 'pinned':
    case 'excluded_by_user':
      return t(`curate.reason.${d.rule}`);
    default:
      return t('curate.reason.other', { rule: d.rule });
  }
}
