import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../api/hooks';
import { Markdown } from '../../app/markdown';
import { Button, ErrorNote, inputClass } from '../../app/ui';
import { evalApi, type Outcome, type QuestionRow, type RunDetail, type Sample } from './api';
import { ms, muted, num, pill, shown } from './format';
import { budgetLabel } from './Tables';
import { TraceText, wrapAnywhere } from './Trace';

const OUTCOMES: Outcome[] = ['all', 'correct', 'wrong', 'mixed', 'undecided', 'failed'];
const PAGE = 20;

function isTyping(el: EventTarget | null): boolean {
  const e = el as HTMLElement | null;
  return Boolean(e && (e.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.tagName)));
}

function Verdict({ correct }: { correct: boolean | null }) {
  const { t } = useTranslation();
  const key = correct === true ? 'correct' : correct === false ? 'wrong' : 'undecided';
  const cls =
    correct === true
      ? 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200'
      : correct === false
        ? 'bg-rose-50 text-rose-800 dark:bg-rose-950 dark:text-rose-200'
        : 'bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-200';
  return (
    <span className={`${pill} ${cls}`} data-testid="verdict" data-verdict={key}>
      {t(`evaluate.drill.verdict.${key}`)}
    </span>
  );
}

/** One generation: its figures, then the thinking and the answer in separate boxes (Markdown, never HTML). */
function SampleView({ s }: { s: Sample }) {
  const { t } = useTranslation();
  return (
    <div className={`min-w-0 rounded-md border border-slate-200 p-3 dark:border-slate-800 ${wrapAnywhere}`} data-testid="sample">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
        <span className="font-semibold">{t('evaluate.drill.sample', { n: s.sample + 1 })}</span>
        <Verdict correct={s.correct} />
        <span title={s.reason} className="line-clamp-3 min-w-0">
          {t('evaluate.drill.extracted')}: <span className="font-mono">{s.extracted ?? '–'}</span> ({s.method})
        </span>
        <span>{t('evaluate.drill.tokens', { thinking: s.thinkingTokens, answer: s.answerTokens })}</span>
        {s.waits > 0 && <span>{t('evaluate.drill.waits', { n: s.waits })}</span>}
        {s.hitBudget && <span className={`${pill} bg-slate-100 dark:bg-slate-800`}>{t('evaluate.drill.hitBudget')}</span>}
        <span>
          {t('evaluate.drill.ttft')} {ms(s.ttftMs)} · {num(s.tokensPerSecond, 1)} {t('evaluate.drill.tps')} · {ms(s.totalMs)}
        </span>
      </div>
      {s.error && <p className="mt-2 text-xs text-rose-700 dark:text-rose-300">{s.error}</p>}
      <div className="mt-2 grid grid-cols-1 gap-3 lg:grid-cols-2">
        <div className="min-w-0">
          <h4 className="mb-1 text-xs font-semibold text-slate-500 dark:text-slate-400">{t('evaluate.drill.thinking')}</h4>
          <div className="max-h-80 overflow-y-auto rounded bg-slate-50 p-2 dark:bg-slate-950" data-testid="sample-thinking">
            <TraceText text={s.thinking} empty={t('evaluate.drill.noThinking')} />
          </div>
        </div>
        <div className="min-w-0">
          <h4 className="mb-1 text-xs font-semibold text-slate-500 dark:text-slate-400">{t('evaluate.drill.answer')}</h4>
          <div className="max-h-80 overflow-y-auto rounded bg-indigo-50/50 p-2 dark:bg-indigo-950/30" data-testid="sample-answer">
            <TraceText text={s.answer} empty={t('evaluate.drill.noAnswer')} />
          </div>
        </div>
      </div>
    </div>
  );
}

function QuestionItem({ q, open, active, onToggle, budgetText }: { q: QuestionRow; open: boolean; active: boolean; onToggle: () => void; budgetText: string }) {
  const { t } = useTranslation();
  return (
    <li data-testid="drill-question" aria-current={active ? 'true' : undefined} className={`min-w-0 rounded-md border ${wrapAnywhere} ${active ? 'border-indigo-400 dark:border-indigo-600' : 'border-slate-200 dark:border-slate-800'}`}>
      <button type="button" className="flex w-full flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-left text-sm" aria-expanded={open} onClick={onToggle}>
        <span className="font-mono text-xs text-slate-500">#{q.qid}</span>
        <span className="font-medium">{q.model}</span>
        <span className={muted}>{budgetText}</span>
        <span className="tabular-nums" data-testid="drill-score">
          {t('evaluate.drill.score', { correct: q.correct, scored: q.scored })}
        </span>
        {q.majorityAnswer !== null && (
          <span className={`${muted} line-clamp-2 min-w-0`}>
            {t('evaluate.drill.majority')}: <span className="font-mono">{q.majorityAnswer}</span> {q.majorityCorrect === true ? '✓' : q.majorityCorrect === false ? '✗' : '?'}
          </span>
        )}
        <span className={`${muted} min-w-0 flex-1 truncate`}>{q.question}</span>
      </button>
      {open && (
        <div className="space-y-3 border-t border-slate-200 px-3 py-3 dark:border-slate-800" data-testid="drill-detail">
          <div>
            <h4 className="mb-1 text-xs font-semibold text-slate-500 dark:text-slate-400">{t('evaluate.drill.question')}</h4>
            <Markdown text={q.question} />
            <p className="mt-1 text-xs">
              {t('evaluate.drill.reference')}: <span className="font-mono">{q.reference}</span>
            </p>
          </div>
          {q.samples.map((s) => (
            <SampleView key={s.sample} s={s} />
          ))}
        </div>
      )}
    </li>
  );
}

/** Per-question drill-down: filter by model, benchmark, budget, outcome and text; open a question for its full traces. j/k move, o opens. */
export function DrillDown({ detail, benchNames }: { detail: RunDetail; benchNames: Map<string, string> }) {
  const { t } = useTranslation();
  const runId = detail.run.id;
  const [model, setModel] = useState('');
  const [benchmark, setBenchmark] = useState('');
  const [budget, setBudget] = useState('');
  const [outcome, setOutcome] = useState<Outcome>('all');
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const box = useRef<HTMLDivElement>(null);
  const filter = { runId, model: model || undefined, benchmark: benchmark || undefined, budget: budget === '' ? undefined : Number(budget), outcome, search: search.trim() || undefined };
  const items = useApiQuery(() => evalApi.runs.items.query({ ...filter, offset, limit: PAGE }), [filter, offset, detail.run.done]);
  const rows = items.data?.rows ?? [];
  const total = items.data?.total ?? 0;
  const keyOf = (q: QuestionRow) => `${q.model}|${q.benchmark}|${q.budget}|${q.qidx}`;
  const toggle = (k: string) => setOpen((s) => (s.has(k) ? new Set([...s].filter((x) => x !== k)) : new Set(s).add(k)));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target) || rows.length === 0 || !shown(box.current)) return;
      if (e.key === 'j' || e.key === 'k') {
        e.preventDefault();
        setActive((a) => Math.max(0, Math.min(rows.length - 1, a + (e.key === 'j' ? 1 : -1))));
      } else if (e.key === 'o') {
        const q = rows[Math.min(active, rows.length - 1)];
        if (q) toggle(keyOf(q));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rows, active]);

  const reset = () => {
    setOffset(0);
    setActive(0);
  };
  const budgets = detail.config.budgets;
  const select = (id: string, label: string, value: string, onChange: (v: string) => void, options: [string, string][]) => (
    <div>
      <label htmlFor={id} className={muted}>
        {label}
      </label>
      <select
        id={id}
        className={inputClass}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          reset();
        }}
      >
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div data-testid="drill" ref={box} className="min-w-0">
      <div className="grid gap-2 sm:grid-cols-5">
        {select('drill-model', t('evaluate.drill.model'), model, setModel, [['', t('evaluate.drill.any')], ...detail.config.models.map((m): [string, string] => [m.label, m.label])])}
        {select('drill-bench', t('evaluate.drill.benchmark'), benchmark, setBenchmark, [['', t('evaluate.drill.any')], ...detail.config.benchmarks.map((b): [string, string] => [b, benchNames.get(b) ?? b])])}
        {select('drill-budget', t('evaluate.drill.budget'), budget, setBudget, [['', t('evaluate.drill.any')], ...budgets.map((b, i): [string, string] => [String(i), budgetLabel(t, b)])])}
        {select('drill-outcome', t('evaluate.drill.outcome'), outcome, (v) => setOutcome(v as Outcome), OUTCOMES.map((o): [string, string] => [o, t(`evaluate.drill.outcomes.${o}`)]))}
        <div>
          <label htmlFor="drill-search" className={muted}>
            {t('evaluate.drill.search')}
          </label>
          <input
            id="drill-search"
            type="search"
            className={inputClass}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              reset();
            }}
          />
        </div>
      </div>
      <ErrorNote error={items.error} />
      <p className={`${muted} mt-2`} data-testid="drill-count">
        {t('evaluate.drill.count', { from: total ? offset + 1 : 0, to: Math.min(total, offset + PAGE), total })} · {t('evaluate.drill.keys')}
      </p>
      <ul className="mt-2 space-y-1.5">
        {rows.map((q, i) => (
          <QuestionItem key={keyOf(q)} q={q} open={open.has(keyOf(q))} active={i === active} onToggle={() => toggle(keyOf(q))} budgetText={budgets[q.budget] ? budgetLabel(t, budgets[q.budget] as (typeof budgets)[number]) : ''} />
        ))}
      </ul>
      {total > PAGE && (
        <div className="mt-2 flex gap-2">
          <Button disabled={offset === 0} onClick={() => (setOffset(Math.max(0, offset - PAGE)), setActive(0))}>
            {t('evaluate.drill.prev')}
          </Button>
          <Button disabled={offset + PAGE >= total} onClick={() => (setOffset(offset + PAGE), setActive(0))}>
            {t('evaluate.drill.next')}
          </Button>
        </div>
      )}
    </div>
  );
}
