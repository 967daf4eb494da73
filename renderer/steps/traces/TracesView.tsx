import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../electron/core/jobs/types';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { ErrorBoundary } from '../../app/ErrorBoundary';
import { Button, Card, ErrorNote, inputClass } from '../../app/ui';
import { QuestionDetail } from './QuestionDetail';
import { VerdictBadge } from './VerdictBadge';
import { muted, verdictKey, type TraceRow, type Verdict, type VerdictKey } from './types';

type Status = 'all' | 'done' | 'failed' | 'pending';
const PAGE = 200;

interface Group {
  questionId: number;
  question: string;
  rows: TraceRow[];
}

function isTyping(el: EventTarget | null): boolean {
  const e = el as HTMLElement | null;
  return Boolean(e && (e.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.tagName)));
}

/** Questions with their traces (paged), filters by status, teacher and verdict; j/k to move, r for the raw response. */
export function TracesView({ projectPath, gen, verify }: { projectPath: string; gen: JobProgress | undefined; verify: JobProgress | undefined }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<Status>('all');
  const [teacher, setTeacher] = useState('');
  const [verdict, setVerdict] = useState<'any' | VerdictKey>('any');
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState(0);
  const [rawToggle, setRawToggle] = useState(0);

  // Refetch as generation and checking move on (in steps, not on every event).
  const genKey = gen ? `${gen.jobId}:${gen.status}:${Math.floor((gen.done + gen.failed) / 10)}` : '';
  const verKey = verify ? `${verify.jobId}:${verify.status}` : '';
  const teachers = useApiQuery(() => api.teacher.list.query(), [projectPath]);
  const counts = useApiQuery(() => api.teacher.counts.query({ teacher: teacher || undefined }), [projectPath, teacher, genKey]);
  const traces = useApiQuery(
    () => api.teacher.traces.query({ status: status === 'all' || status === 'pending' ? undefined : status, teacher: teacher || undefined, offset: page * PAGE, limit: PAGE }),
    [projectPath, status, teacher, page, genKey],
    status !== 'pending',
  );
  const pending = useApiQuery(() => api.pool.list.query({ hasTrace: false, status: 'included', offset: page * 50, limit: 50 }), [projectPath, page, genKey], status === 'pending');
  const ids = traces.data?.rows.map((r) => r.id) ?? [];
  const verdicts = useApiQuery(() => (ids.length ? api.verification.forTraces.query({ traceIds: ids }) : Promise.resolve([])), [ids, verKey]);
  const summary = useApiQuery(() => api.verification.summary.query(), [projectPath, verKey, genKey]);
  const check = useApiMutation(() => api.verification.run.mutate({}));

  const byTrace = useMemo(() => new Map<number, Verdict>((verdicts.data ?? []).map((v) => [v.traceId, v])), [verdicts.data]);
  const groups = useMemo<Group[]>(() => {
    if (status === 'pending') return (pending.data?.rows ?? []).map((q) => ({ questionId: q.id, question: q.preview, rows: [] }));
    const out = new Map<number, Group>();
    for (const r of traces.data?.rows ?? []) {
      if (verdict !== 'any' && verdictKey(byTrace.get(r.id)) !== verdict) continue;
      const g = out.get(r.question_id) ?? { questionId: r.question_id, question: r.question, rows: [] };
      g.rows.push(r);
      out.set(r.question_id, g);
    }
    return [...out.values()].sort((a, b) => a.questionId - b.questionId);
  }, [status, pending.data, traces.data, verdict, byTrace]);
  const total = status === 'pending' ? (pending.data?.total ?? 0) : (traces.data?.total ?? 0);
  const pageSize = status === 'pending' ? 50 : PAGE;
  const current = groups[Math.min(selected, groups.length - 1)];

  useEffect(() => setSelected(0), [status, teacher, verdict, page]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
      if (e.key === 'j') setSelected((s) => Math.min(s + 1, Math.max(groups.length - 1, 0)));
      else if (e.key === 'k') setSelected((s) => Math.max(s - 1, 0));
      else if (e.key === 'r') setRawToggle((n) => n + 1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [groups.length]);
  useEffect(() => {
    document.querySelector(`[data-question-id="${current?.questionId}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [current?.questionId]);

  const verifying = verify && (verify.status === 'running' || verify.status === 'queued');
  const vPct = verify?.total ? Math.round(((verify.done + verify.failed) / verify.total) * 100) : 0;
  const s = summary.data;
  const select = (id: string, label: string, value: string, set: (v: string) => void, options: [string, string][]) => (
    <label htmlFor={id} className="flex items-center gap-2 text-xs font-medium whitespace-nowrap text-slate-600 dark:text-slate-400">
      {label}
      <select id={id} className={`${inputClass} w-auto`} value={value} onChange={(e) => set(e.target.value)}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <Card
      title={t('traces.view.title')}
      labelId="traces-title"
      actions={
        <Button variant="primary" disabled={Boolean(verifying) || check.pending} onClick={() => void check.run()}>
          {verifying || check.pending ? t('traces.view.checking') : t('traces.view.check')}
        </Button>
      }
    >
      <div className="flex flex-wrap items-center gap-4">
        {select('traces-status', t('traces.view.status'), status, (v) => (setStatus(v as Status), setPage(0)), [
          ['all', t('traces.view.statusAll')],
          ['done', t('traces.view.done')],
          ['failed', t('traces.view.failed')],
          ['pending', t('traces.view.pending')],
        ])}
        {select('traces-teacher', t('traces.view.teacher'), teacher, (v) => (setTeacher(v), setPage(0)), [['', t('traces.view.anyTeacher')], ...(teachers.data ?? []).map((x) => [x.name, x.name] as [string, string])])}
        {select('traces-verdict', t('traces.view.verdict'), verdict, (v) => setVerdict(v as 'any' | VerdictKey), [
          ['any', t('traces.view.anyVerdict')],
          ['correct', t('traces.view.correct')],
          ['wrong', t('traces.view.wrong')],
          ['undecided', t('traces.view.undecided')],
          ['unchecked', t('traces.view.unchecked')],
        ])}
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-1">
        {counts.data && <p className={muted}>{t('traces.view.counts', counts.data)}</p>}
        {s && s.checked > 0 && (
          <p data-testid="verify-summary" className={muted}>
            {t('traces.view.checkSummary', { correct: s.equivalent, wrong: s.notEquivalent, undecided: s.undecided, checked: s.checked, traces: s.traces })}
          </p>
        )}
        <p className={`${muted} ml-auto`} data-testid="key-hints">
          {t('traces.view.hints')}
        </p>
      </div>
      {verify && verifying && (
        <div role="progressbar" aria-label={t('traces.view.checking')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={vPct} className="mt-2 h-1.5 overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800">
          <div className="h-full bg-emerald-500 transition-all" style={{ width: `${vPct}%` }} />
        </div>
      )}
      <ErrorNote error={traces.error ?? pending.error ?? check.error ?? verdicts.error} />
      <div className="mt-4 grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <div>
          <p className={`${muted} mb-1`} data-testid="questions-shown">
            {t('traces.view.questionsShown', { count: groups.length })}
          </p>
          {groups.length === 0 && !traces.loading && !pending.loading && <p className={`${muted} text-sm`}>{status === 'pending' ? t('traces.view.emptyPending') : t('traces.view.empty')}</p>}
          <ul className="max-h-[32rem] overflow-y-auto rounded-md ring-1 ring-slate-200 dark:ring-slate-800" data-testid="question-list">
            {groups.map((g, i) => (
              <li key={g.questionId} data-question-id={g.questionId}>
                <button
                  type="button"
                  data-testid="question-item"
                  aria-current={i === selected ? 'true' : undefined}
                  onClick={() => setSelected(i)}
                  className={`block w-full border-b border-slate-100 px-3 py-2 text-left text-sm last:border-0 dark:border-slate-800 ${i === selected ? 'bg-indigo-50 dark:bg-slate-800' : 'hover:bg-slate-50 dark:hover:bg-slate-800/60'}`}
                >
                  <span className="line-clamp-2">
                    <span className="mr-1.5 text-xs text-slate-400 tabular-nums">#{g.questionId}</span>
                    {g.question}
                  </span>
                  <span className="mt-1 flex flex-wrap items-center gap-1.5">
                    {g.rows.length > 0 && <span className={muted}>{t('traces.view.attempts', { count: g.rows.length })}</span>}
                    {g.rows.map((r) => (
                      <VerdictBadge key={r.id} verdict={byTrace.get(r.id)} />
                    ))}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {total > pageSize && (
            <div className="mt-2 flex items-center gap-2">
              <Button variant="ghost" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
                ← {t('traces.view.prev')}
              </Button>
              <span className={muted}>{t('traces.view.page', { page: page + 1 })}</span>
              <Button variant="ghost" disabled={(page + 1) * pageSize >= total} onClick={() => setPage((p) => p + 1)}>
                {t('traces.view.next')} →
              </Button>
            </div>
          )}
        </div>
        <div>
          {current ? (
            // A question that cannot be shown stays in this pane: the list still moves to the next one.
            <ErrorBoundary name="traces-detail" resetKey={current.questionId}>
              <QuestionDetail key={current.questionId} questionId={current.questionId} question={current.question} teacher={teacher} verKey={verKey} rawToggle={rawToggle} />
            </ErrorBoundary>
          ) : (
            <p className={`${muted} text-sm`}>{t('traces.view.select')}</p>
          )}
        </div>
      </div>
    </Card>
  );
}
