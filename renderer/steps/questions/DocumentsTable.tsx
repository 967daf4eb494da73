import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentRow } from '../../../electron/core/docs/store';
import { api } from '../../api/client';
import { useApiQuery, type ApiError } from '../../api/hooks';
import { Card, ErrorNote } from '../../app/ui';
import { Badge } from './parts';

/** Chunks of one document, as text (never HTML), with where each sits: headings, pages, tokens. */
function Chunks({ doc }: { doc: DocumentRow }) {
  const { t } = useTranslation();
  const q = useApiQuery(() => api.docs.chunks.query({ documentId: doc.id, offset: 0, limit: 200 }), [doc.id]);
  return (
    <div className="mt-2 space-y-2" data-testid="docs-chunks">
      <ErrorNote error={q.error} />
      {(q.data?.rows ?? []).map((c) => (
        <article key={c.id} className="rounded-md p-2 ring-1 ring-slate-200 dark:ring-slate-700">
          <header className="mb-1 flex flex-wrap gap-2 text-xs text-slate-500">
            <span>{doc.paged ? t('questions.sources.chunkWhere', { seq: c.seq + 1, from: c.page_from, to: c.page_to, tokens: c.tokens }) : t('questions.sources.chunkWhereOne', { seq: c.seq + 1, tokens: c.tokens })}</span>
            {c.heading_path.length > 0 && <span className="font-medium">{c.heading_path.join(' › ')}</span>}
            {c.questions > 0 && <Badge tone="indigo">{`${t('questions.sources.questions')}: ${c.questions}`}</Badge>}
          </header>
          <p className="max-h-40 overflow-y-auto text-sm whitespace-pre-wrap">{c.text}</p>
        </article>
      ))}
    </div>
  );
}

/** Files → chunks: every document added, what was read of it, and its chunks on demand. */
export function DocumentsTable({ docs, error }: { docs: DocumentRow[]; error: ApiError | null }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<number | null>(null);
  return (
    <Card title={t('questions.sources.docsTitle', { count: docs.length })}>
      <ErrorNote error={error} />
      {docs.length === 0 ? (
        <p className="text-sm text-slate-500">{t('questions.sources.noDocs')}</p>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="docs-list">
          {docs.map((d) => (
            <li key={d.id} className="py-2">
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <span className="font-mono text-xs">#{d.id}</span>
                <span className="font-medium">{d.name}</span>
                <Badge tone={d.status === 'ok' ? 'emerald' : d.status === 'failed' ? 'rose' : 'amber'}>{t(`questions.sources.status.${d.status === 'failed' ? 'failed' : d.status}`)}</Badge>
                {d.status !== 'failed' && (
                  <span className="text-xs text-slate-500">
                    {`${t('questions.sources.pages')} ${d.pages} (${d.pages_text} ${t('questions.sources.withText')}${d.pages_scanned ? `, ${t('questions.sources.scanned')}: ${d.pages_scanned}` : ''}) · ${t('questions.sources.chars')} ${d.chars} · ${t('questions.sources.chunks')} ${d.chunks} · ${t('questions.sources.tokens')} ${d.tokens} · ${t('questions.sources.questions')} ${d.questions}`}
                  </span>
                )}
                {d.chunks > 0 && (
                  <button type="button" className="text-xs text-indigo-700 underline dark:text-indigo-300" aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? null : d.id)}>
                    {t('questions.sources.showChunks')}
                  </button>
                )}
              </div>
              {d.error && <p className="mt-1 text-xs text-rose-700 dark:text-rose-300">{d.error}</p>}
              {d.notes.map((n) => (
                <p key={n} className="mt-1 text-xs text-amber-700 dark:text-amber-300">
                  {n}
                </p>
              ))}
              {open === d.id && <Chunks doc={d} />}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
