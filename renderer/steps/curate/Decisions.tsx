import { Fragment, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { Button, Card, ErrorNote, inputClass } from '../../app/ui';
import { Explain } from './Explain';
import { reasonText, stageName, STAGES, type DecisionRow } from './types';
import { domainName } from './Embedding';

const PAGE = 50;
type Kept = 'all' | 'kept' | 'dropped';

function isTyping(el: EventTarget | null): boolean {
  const e = el as HTMLElement | null;
  return Boolean(e && (e.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.tagName)));
}

/** Kept and dropped questions of a run with a readable reason; Why?, Pin, Exclude, Clear (p, e, Enter on the focused row). */
export function Decisions({ runId, overrides, onOverride }: { runId: number; overrides: Map<number, 'pin' | 'exclude'>; onOverride: () => void }) {
  const { t, i18n } = useTranslation();
  const [kept, setKept] = useState<Kept>('all');
  const [stage, setStage] = useState('');
  const [page, setPage] = useState(0);
  const [focus, setFocus] = useState(0);
  const [why, setWhy] = useState<number | null>(null);
  const rowsRef = useRef<(HTMLTableRowElement | null)[]>([]);
  const list = useApiQuery(
    () => api.curate.decisions.query({ runId, kept: kept === 'all' ? undefined : kept === 'kept', stage: stage || undefined, offset: page * PAGE, limit: PAGE }),
    [runId, kept, stage, page],
  );
  const act = useApiMutation(async (action: 'pin' | 'exclude' | 'clear', questionId: number) => {
    if (action === 'pin') await api.curate.pin.mutate({ questionId });
    else if (action === 'exclude') await api.curate.exclude.mutate({ questionId });
    else await api.curate.clearOverride.mutate({ questionId });
    return true;
  });
  const rows: DecisionRow[] = list.data?.rows ?? [];
  const total = list.data?.total ?? 0;
  const doAct = (action: 'pin' | 'exclude' | 'clear', id: number) => void act.run(action, id).then((ok) => ok && onOverride());

  useEffect(() => {
    setPage(0);
  }, [runId, kept, stage]);
  useEffect(() => setFocus(0), [runId, kept, stage, page]);

  const onKey = (e: React.KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
    // Keys pressed inside the open explanation are its own (Escape closes it), not the rows'.
    if ((e.target as HTMLElement).closest?.('[data-testid="explain-row"]')) return;
    const r = rows[focus];
    let next = focus;
    if (e.key === 'ArrowDown' || e.key === 'j') next = Math.min(rows.length - 1, focus + 1);
    else if (e.key === 'ArrowUp' || e.key === 'k') next = Math.max(0, focus - 1);
    else if (e.key === 'p' && r) doAct('pin', r.questionId);
    else if (e.key === 'e' && r) doAct('exclude', r.questionId);
    else if (e.key === 'Enter' && r) setWhy(r.questionId);
    else return;
    e.preventDefault();
    if (next !== focus) {
      setFocus(next);
      rowsRef.current[next]?.focus();
    }
  };

  const fmt = (n: number) => n.toLocaleString(i18n.language);
  return (
    <Card
      title={t('curate.table.title', { id: runId })}
      labelId="cur-decisions-title"
      actions={
        <>
          <label htmlFor="cur-kept" className="sr-only">
            {t('curate.table.show')}
          </label>
          <select id="cur-kept" className={`${inputClass} !w-32`} value={kept} onChange={(e) => setKept(e.target.value as Kept)}>
            <option value="all">{t('curate.table.all')}</option>
            <option value="kept">{t('curate.table.kept')}</option>
            <option value="dropped">{t('curate.table.dropped')}</option>
          </select>
          <label htmlFor="cur-stage" className="sr-only">
            {t('curate.preview.stage')}
          </label>
          <select id="cur-stage" className={`${inputClass} !w-36`} value={stage} onChange={(e) => setStage(e.target.value)}>
            <option value="">{t('curate.table.anyStage')}</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {stageName(t, s)}
              </option>
            ))}
          </select>
        </>
      }
    >
      <p className="mb-2 text-xs text-slate-500 dark:text-slate-400" data-testid="decision-keys">
        {t('curate.table.keys')} · {t('curate.table.overrideNote')}
      </p>
      <ErrorNote error={list.error ?? act.error} />
      <div className="overflow-x-auto">
        <table className="w-full table-fixed text-sm" data-testid="decisions" onKeyDown={onKey}>
          <thead className="text-left text-xs text-slate-500 dark:text-slate-400">
            <tr>
              <th className="w-14 py-1 font-medium">#</th>
              <th className="py-1 font-medium">{t('curate.table.question')}</th>
              <th className="w-24 py-1 font-medium">{t('curate.table.decision')}</th>
              <th className="w-[30%] py-1 font-medium">{t('curate.table.reason')}</th>
              <th className="w-48 py-1 text-right font-medium">{t('curate.table.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const o = overrides.get(r.questionId);
              return (
                <Fragment key={r.questionId}>
                  <tr
                    ref={(el) => {
                      rowsRef.current[i] = el;
                    }}
                    tabIndex={i === focus ? 0 : -1}
                    onFocus={() => setFocus(i)}
                    data-testid="decision-row"
                    data-question={r.questionId}
                    aria-selected={i === focus}
                    className="border-t border-slate-100 align-top outline-none focus:bg-indigo-50 dark:border-slate-800 dark:focus:bg-indigo-950/50"
                  >
                    <td className="py-1.5 font-mono text-xs text-slate-500">{r.questionId}</td>
                    <td className="py-1.5 pr-2">
                      <span className="line-clamp-2 text-slate-800 dark:text-slate-200" title={r.question}>
                        {r.question}
                      </span>
                      {r.domain && <span className="text-xs text-slate-500">{domainName(t, r.domain)}</span>}
                    </td>
                    <td className="py-1.5">
                      <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${r.kept ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100' : 'bg-rose-100 text-rose-800 dark:bg-rose-900 dark:text-rose-100'}`} data-testid="decision">
                        {r.kept ? t('curate.table.kept') : t('curate.table.dropped')}
                      </span>
                      <span className="mt-0.5 block text-xs text-slate-500">{stageName(t, r.stage)}</span>
                    </td>
                    <td className="py-1.5 pr-2 text-xs text-slate-700 dark:text-slate-300" data-testid="reason">
                      {reasonText(t, r)}
                    </td>
                    <td className="py-1.5 text-right whitespace-nowrap">
                      {o === 'pin' && (
                        <span data-testid="pinned-badge" className="mr-1 rounded bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-800 dark:bg-amber-900 dark:text-amber-100">
                          {t('curate.table.pinned')}
                        </span>
                      )}
                      {o === 'exclude' && (
                        <span data-testid="excluded-badge" className="mr-1 rounded bg-slate-200 px-1.5 py-0.5 text-[11px] font-medium text-slate-700 dark:bg-slate-700 dark:text-slate-100">
                          {t('curate.table.excluded')}
                        </span>
                      )}
                      <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" aria-expanded={why === r.questionId} onClick={() => setWhy(why === r.questionId ? null : r.questionId)}>
                        {t('curate.table.why')}
                      </Button>
                      {o ? (
                        <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" disabled={act.pending} onClick={() => doAct('clear', r.questionId)}>
                          {t('curate.table.clear')}
                        </Button>
                      ) : (
                        <>
                          <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" disabled={act.pending} onClick={() => doAct('pin', r.questionId)}>
                            {t('curate.table.pin')}
                          </Button>
                          <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" disabled={act.pending} onClick={() => doAct('exclude', r.questionId)}>
                            {t('curate.table.exclude')}
                          </Button>
                        </>
                      )}
                    </td>
                  </tr>
                  {why === r.questionId && (
                    // "Why?" opens right under the clicked row, inside the table, not below the whole page of rows.
                    <tr data-testid="explain-row" data-question={r.questionId}>
                      <td colSpan={5} className="pb-2">
                        <Explain questionId={r.questionId} runId={runId} onClose={() => setWhy(null)} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      {list.data && rows.length === 0 && <p className="py-3 text-sm text-slate-500">{t('curate.table.none')}</p>}
      {total > 0 && (
        <div className="mt-3 flex items-center justify-end gap-2 text-xs text-slate-600 dark:text-slate-400">
          <span data-testid="decisions-page">{t('curate.table.page', { from: fmt(page * PAGE + 1), to: fmt(Math.min(total, (page + 1) * PAGE)), total: fmt(total) })}</span>
          <Button variant="ghost" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
            {t('curate.table.prev')}
          </Button>
          <Button variant="ghost" disabled={(page + 1) * PAGE >= total} onClick={() => setPage((p) => p + 1)}>
            {t('curate.table.next')}
          </Button>
        </div>
      )}
    </Card>
  );
}
