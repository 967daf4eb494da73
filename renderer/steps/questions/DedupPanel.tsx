import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { action, useApiMutation, useApiQuery } from '../../api/hooks';
import { Button, Card, ErrorNote } from '../../app/ui';
import { Badge } from './parts';
import { wordDiff } from './wordDiff';

const PER_PAGE = 20;

/** Near and exact deduplication: threshold, run, clusters with their representative and the override. */
export function DedupPanel({ version, onChanged }: { version: number; onChanged: () => void }) {
  const { t } = useTranslation();
  const [threshold, setThreshold] = useState(0.8);
  const [page, setPage] = useState(0);
  const [note, setNote] = useState<string | null>(null);
  const propose = useApiMutation(() => api.pool.dedup.propose.mutate({ threshold }));
  const confirm = useApiMutation(() => api.pool.dedup.confirm.mutate());
  const undo = useApiMutation(() => api.pool.dedup.undo.mutate());
  const keep = useApiMutation((questionId: number) => api.pool.dedup.keep.mutate({ questionId, only: true }));
  const include = useApiMutation((questionId: number, on: boolean) => api.pool.dedup.include.mutate({ questionId, include: on }));
  const [found, setFound] = useState<Awaited<ReturnType<typeof propose.run>>>(undefined);
  const [tick, setTick] = useState(0);
  const summary = useApiQuery(() => api.pool.dedup.summary.query(), [version, tick]);
  const clusters = useApiQuery(() => api.pool.dedup.clusters.query({ offset: page * PER_PAGE, limit: PER_PAGE }), [page, version, tick]);
  const pages = Math.max(1, Math.ceil((clusters.data?.total ?? 0) / PER_PAGE));
  const changed = () => {
    setTick((x) => x + 1);
    onChanged();
  };
  const wouldRemove = summary.data?.wouldRemove ?? 0;
  const last = summary.data?.lastApplied ?? null;
  return (
    <div className="space-y-5">
      <Card title={t('questions.dedup.title')} labelId="dedup-title">
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">{t('questions.dedup.help')}</p>
        <div className="flex flex-wrap items-center gap-4">
          <label htmlFor="dedup-threshold" className="text-sm font-medium">
            {t('questions.dedup.threshold', { value: threshold.toFixed(2) })}
          </label>
          <input id="dedup-threshold" type="range" min={0.5} max={1} step={0.01} value={threshold} onChange={(e) => setThreshold(Number(e.target.value))} className="w-64 accent-indigo-600" />
          <Button
            variant="primary"
            disabled={propose.pending}
            onClick={action(async () => {
              const r = await propose.run();
              if (r) {
                setFound(r);
                setNote(null);
                setPage(0);
                changed();
              }
            })}
          >
            {propose.pending ? t('questions.dedup.running') : t('questions.dedup.run')}
          </Button>
        </div>
        {found && (
          <p className="mt-3 text-sm text-slate-700 dark:text-slate-300" data-testid="dedup-summary">
            {t('questions.dedup.proposal', found)}
          </p>
        )}
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <Button
            variant="danger"
            data-testid="dedup-apply"
            disabled={confirm.pending || wouldRemove === 0}
            title={wouldRemove === 0 ? t('questions.dedup.applyNone') : undefined}
            onClick={action(async () => {
              const r = await confirm.run();
              if (r) {
                setNote(t('questions.dedup.applied', r));
                changed();
              }
            })}
          >
            {t('questions.dedup.apply', { count: wouldRemove })}
          </Button>
          {wouldRemove === 0 && summary.data && <span className="text-xs text-slate-500">{t('questions.dedup.applyNone')}</span>}
          {last && (
            <Button
              variant="ghost"
              data-testid="dedup-undo"
              disabled={undo.pending}
              onClick={action(async () => {
                const r = await undo.run();
                if (r) {
                  setNote(t('questions.dedup.undone', r));
                  changed();
                }
              })}
            >
              {t('questions.dedup.undo', { count: last.excluded })}
            </Button>
          )}
        </div>
        {note && (
          <p className="mt-2 text-sm text-emerald-700 dark:text-emerald-300" data-testid="dedup-note">
            {note}
          </p>
        )}
        <ErrorNote error={propose.error ?? confirm.error ?? undo.error ?? keep.error ?? include.error} />
      </Card>
      <Card
        title={t('questions.dedup.clusters', { total: clusters.data?.total ?? 0 })}
        labelId="dedup-clusters"
        actions={
          pages > 1 && (
            <>
              <Button variant="ghost" disabled={page === 0} onClick={() => setPage(page - 1)}>
                {t('questions.dedup.prev')}
              </Button>
              <span className="text-xs text-slate-500">{t('questions.dedup.page', { page: page + 1, pages })}</span>
              <Button variant="ghost" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
                {t('questions.dedup.next')}
              </Button>
            </>
          )
        }
      >
        <ErrorNote error={clusters.error} />
        {clusters.data?.clusters.length === 0 && <p className="text-sm text-slate-500">{t('questions.dedup.noClusters')}</p>}
        {Boolean(clusters.data?.clusters.length) && <p className="mb-2 text-xs text-slate-500">{t('questions.dedup.diffLegend')}</p>}
        <ul className="space-y-3" data-testid="clusters">
          {clusters.data?.clusters.map((c) => {
            const repText = c.members.find((m) => m.question_id === c.representative)?.text ?? '';
            return (
              <li key={c.id} className="rounded-lg ring-1 ring-slate-200 dark:ring-slate-700">
                <div className="flex items-center gap-2 border-b border-slate-100 px-3 py-2 text-sm dark:border-slate-800">
                  <span className="font-medium">{t('questions.dedup.cluster', { id: c.id })}</span>
                  <Badge tone={c.kind === 'exact' ? 'rose' : 'amber'}>{t(`questions.dedup.kinds.${c.kind}`)}</Badge>
                  <span className="text-xs text-slate-500">{t('questions.dedup.members', { count: c.size })}</span>
                </div>
                <ul>
                  {c.members.map((m) => {
                    const rep = m.question_id === c.representative;
                    return (
                      <li key={m.question_id} data-testid="dedup-member" data-state={rep ? 'representative' : m.excluded ? 'excluded' : m.proposed ? 'proposed' : m.numbers_differ ? 'numbers-differ' : 'kept'} className={`flex items-start gap-3 px-3 py-2 text-sm ${rep ? 'bg-emerald-50/70 dark:bg-emerald-950/30' : ''}`}>
                        <span className="w-14 shrink-0 font-mono text-xs text-slate-500">#{m.question_id}</span>
                        <span className={`min-w-0 flex-1 break-words ${m.excluded ? 'text-slate-400 line-through' : ''}`}>
                          {rep ? m.text : <Diff base={repText} text={m.text} />}
                        </span>
                        <span className="shrink-0 text-xs tabular-nums text-slate-500">{t('questions.dedup.similarity', { value: m.similarity.toFixed(2) })}</span>
                        <span className="flex shrink-0 flex-col items-end gap-1">
                          {rep ? (
                            <Badge tone="emerald">{t('questions.dedup.representative')}</Badge>
                          ) : (
                            <>
                              {m.kept && <Badge tone="indigo">{t('questions.dedup.kept')}</Badge>}
                              {m.excluded ? <Badge tone="slate">{t('questions.dedup.excluded')}</Badge> : m.proposed ? <Badge tone="rose">{t('questions.dedup.wouldExclude')}</Badge> : m.numbers_differ ? <Badge tone="violet">{t('questions.dedup.numbersDiffer')}</Badge> : null}
                              {!m.excluded && m.numbers_differ && (
                                <Button
                                  variant="ghost"
                                  className="!px-2 !py-1 text-xs"
                                  disabled={include.pending}
                                  onClick={action(async () => {
                                    if ((await include.run(m.question_id, !m.proposed)) !== undefined) changed();
                                  })}
                                >
                                  {m.proposed ? t('questions.dedup.notDuplicate') : t('questions.dedup.markDuplicate')}
                                </Button>
                              )}
                              <Button
                                variant="ghost"
                                className="!px-2 !py-1 text-xs"
                                disabled={keep.pending}
                                onClick={action(async () => {
                                  if (await keep.run(m.question_id)) changed();
                                })}
                              >
                                {t('questions.dedup.keepInstead')}
                              </Button>
                            </>
                          )}
                        </span>
                      </li>
                    );
                  })}
                </ul>
              </li>
            );
          })}
        </ul>
      </Card>
    </div>
  );
}

/** A member's text with the words that differ from the representative highlighted (text only, never HTML). */
function Diff({ base, text }: { base: string; text: string }) {
  const parts = useMemo(() => wordDiff(base, text), [base, text]);
  return (
    <>
      {parts.map((p, i) =>
        p.changed ? (
          <mark key={i} data-testid="dedup-diff" className="rounded bg-amber-200 px-0.5 text-slate-900 dark:bg-amber-700 dark:text-white">
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}
