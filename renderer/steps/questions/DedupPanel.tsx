import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { Button, Card, ErrorNote } from '../../app/ui';
import { Badge } from './parts';

const PER_PAGE = 20;

/** Near and exact deduplication: threshold, run, clusters with their representative and the override. */
export function DedupPanel({ version, onChanged }: { version: number; onChanged: () => void }) {
  const { t } = useTranslation();
  const [threshold, setThreshold] = useState(0.8);
  const [page, setPage] = useState(0);
  const run = useApiMutation(() => api.pool.dedup.run.mutate({ threshold }));
  const keep = useApiMutation((questionId: number) => api.pool.dedup.keep.mutate({ questionId, only: true }));
  const [summary, setSummary] = useState<Awaited<ReturnType<typeof run.run>>>(undefined);
  const clusters = useApiQuery(() => api.pool.dedup.clusters.query({ offset: page * PER_PAGE, limit: PER_PAGE }), [page, version]);
  const pages = Math.max(1, Math.ceil((clusters.data?.total ?? 0) / PER_PAGE));
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
            disabled={run.pending}
            onClick={async () => {
              const r = await run.run();
              if (r) {
                setSummary(r);
                setPage(0);
                onChanged();
              }
            }}
          >
            {run.pending ? t('questions.dedup.running') : t('questions.dedup.run')}
          </Button>
        </div>
        {summary && (
          <p className="mt-3 text-sm text-emerald-700 dark:text-emerald-300" data-testid="dedup-summary">
            {t('questions.dedup.summary', summary)}
          </p>
        )}
        <ErrorNote error={run.error ?? keep.error} />
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
        <ul className="space-y-3" data-testid="clusters">
          {clusters.data?.clusters.map((c) => (
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
                    <li key={m.question_id} className={`flex items-center gap-3 px-3 py-2 text-sm ${rep ? 'bg-emerald-50/70 dark:bg-emerald-950/30' : ''}`}>
                      <span className="w-14 shrink-0 font-mono text-xs text-slate-500">#{m.question_id}</span>
                      <span className={`min-w-0 flex-1 truncate ${m.excluded ? 'text-slate-400' : ''}`} title={m.preview}>
                        {m.preview}
                      </span>
                      <span className="shrink-0 text-xs tabular-nums text-slate-500">{t('questions.dedup.similarity', { value: m.similarity.toFixed(2) })}</span>
                      {rep ? (
                        <Badge tone="emerald">{t('questions.dedup.representative')}</Badge>
                      ) : (
                        <>
                          {m.kept && <Badge tone="indigo">{t('questions.dedup.kept')}</Badge>}
                          <Button
                            variant="ghost"
                            className="!px-2 !py-1 text-xs"
                            disabled={keep.pending}
                            onClick={async () => {
                              if (await keep.run(m.question_id)) {
                                await clusters.refetch();
                                onChanged();
                              }
                            }}
                          >
                            {t('questions.dedup.keepInstead')}
                          </Button>
                        </>
                      )}
                    </li>
                  );
                })}
              </ul>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
