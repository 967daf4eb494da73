import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { Markdown } from '../../app/markdown';
import { Button, ErrorNote } from '../../app/ui';
import { Badge } from './parts';
import { Flags } from './PoolTable';
import { PseudoLabel } from './PseudoLabel';
import { SourceChunk } from './SourceChunk';
import type { QuestionDetail } from './types';

function Section({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <section className="border-t border-slate-100 pt-3 dark:border-slate-800">
      <h3 className="mb-1.5 text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      {children}
    </section>
  );
}

/** The selected question: Markdown + KaTeX (never raw HTML), its traces, contamination and cluster. */
export function DetailPane({ id, version, onToggleExclude }: { id: number | null; version: number; onToggleExclude: (id: number, exclude: boolean) => void }) {
  const { t } = useTranslation();
  const q = useApiQuery(async (): Promise<QuestionDetail | null> => (id === null ? null : api.pool.get.query({ id })), [id, version], id !== null);
  const d = id === null ? null : q.data;
  return (
    <aside aria-label={t('questions.detail.title')} data-testid="detail-pane" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      {id === null ? (
        <p className="text-sm text-slate-500">{t('questions.detail.none')}</p>
      ) : (
        <div className="space-y-3">
          <ErrorNote error={q.error} />
          {d && d.id === id && (
            <>
              <div className="flex items-start justify-between gap-2">
                <div className="flex flex-wrap items-center gap-1.5">
                  <span className="font-mono text-sm font-semibold">#{d.id}</span>
                  {d.domain && <Badge tone="indigo">{d.domain}</Badge>}
                  <Badge>{d.source}</Badge>
                  <Flags row={d} />
                </div>
                <Button variant={d.excluded ? 'secondary' : 'danger'} className="!px-2 !py-1 text-xs" onClick={() => onToggleExclude(d.id, !d.excluded)}>
                  {d.excluded ? t('questions.detail.include') : t('questions.detail.exclude')}
                </Button>
              </div>
              {d.excluded ? <p className="text-xs text-rose-700 dark:text-rose-300">{t('questions.detail.excludedBecause', { reason: d.exclude_reason ?? '' })}</p> : null}
              <Section title={t('questions.detail.question')}>
                <Markdown text={d.question} testId="detail-question" />
              </Section>
              <Section title={t('questions.detail.answer')}>
                {d.answer ? <Markdown text={d.answer} testId="detail-answer" /> : <p className="text-sm text-slate-500">{t('questions.detail.noAnswer')}</p>}
                <PseudoLabel questionId={d.id} version={version} />
              </Section>
              {d.source === 'synthesized' && <SourceChunk questionId={d.id} />}
              {d.solution && (
                <Section title={t('questions.detail.solution')}>
                  <div className="max-h-64 overflow-y-auto">
                    <Markdown text={d.solution} />
                  </div>
                </Section>
              )}
              <Section title={t('questions.detail.meta')}>
                <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                  {d.ext_id && (
                    <>
                      <dt className="text-slate-500">{t('questions.detail.extId')}</dt>
                      <dd className="truncate font-mono text-xs">{d.ext_id}</dd>
                    </>
                  )}
                  <dt className="text-slate-500">{t('questions.detail.status')}</dt>
                  <dd>{d.excluded ? t('questions.detail.excludedBecause', { reason: d.exclude_reason ?? '' }) : t('questions.detail.included')}</dd>
                </dl>
              </Section>
              {d.cluster && (
                <Section title={t('questions.detail.cluster')}>
                  <p className="text-sm" data-testid="detail-cluster">
                    {t('questions.detail.clusterInfo', { id: d.cluster.id, kind: d.cluster.kind, rep: d.cluster.representative, sim: d.cluster.similarity })}
                  </p>
                </Section>
              )}
              {d.contamination.length > 0 && (
                <Section title={t('questions.detail.contamination')}>
                  <ul className="space-y-2 text-sm" data-testid="detail-contamination">
                    {d.contamination.map((c) => (
                      <li key={`${c.evalset}-${c.evalset_item}`} className="rounded-md bg-violet-50 p-2 dark:bg-violet-950/40">
                        <div className="font-medium">{t('questions.detail.matches', { evalset: c.evalset, item: c.evalset_item })}</div>
                        {c.evalset_question && <p className="mt-1 line-clamp-3 text-xs text-slate-600 dark:text-slate-300">{c.evalset_question}</p>}
                        <p className="mt-1 font-mono text-xs text-violet-800 dark:text-violet-200">
                          {t('questions.detail.overlap')}: {c.overlap}
                        </p>
                      </li>
                    ))}
                  </ul>
                </Section>
              )}
              <Section title={t('questions.detail.traces', { count: d.traces.length })}>
                {d.traces.length === 0 ? (
                  <p className="text-sm text-slate-500">{t('questions.detail.noTraces')}</p>
                ) : (
                  <ul className="space-y-2">
                    {d.traces.map((tr) => (
                      <li key={tr.id} className="rounded-md ring-1 ring-slate-200 dark:ring-slate-700">
                        <details>
                          <summary className="flex cursor-pointer items-center gap-2 px-2 py-1.5 text-xs">
                            <span className="font-mono">#{tr.id}</span>
                            <Badge>{tr.source}</Badge>
                            {tr.teacher && <span className="truncate text-slate-500">{tr.teacher}</span>}
                            <Badge tone={tr.status === 'done' ? 'emerald' : 'slate'}>{tr.status}</Badge>
                          </summary>
                          <div className="space-y-2 border-t border-slate-100 p-2 dark:border-slate-800">
                            {tr.thinking && (
                              <div className="max-h-48 overflow-y-auto text-xs">
                                <Markdown text={tr.thinking} />
                              </div>
                            )}
                            {tr.answer && <Markdown text={tr.answer} />}
                          </div>
                        </details>
                      </li>
                    ))}
                  </ul>
                )}
              </Section>
            </>
          )}
        </div>
      )}
    </aside>
  );
}
