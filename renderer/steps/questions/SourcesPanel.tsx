import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AddReport } from '../../../electron/core/docs/ingest';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useProject } from '../../app/ProjectContext';
import { Button, Card, ErrorNote, inputClass } from '../../app/ui';
import { DocumentsTable } from './DocumentsTable';
import { SynthPanel } from './SynthPanel';
import { Badge } from './parts';

const ACCEPT = '.pdf,.docx,.html,.htm,.xhtml,.md,.markdown,.txt,.text,.zip';

async function toBase64(f: File): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let s = '';
  // In slices: String.fromCharCode with a whole file's bytes as arguments would overflow the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function Report({ r }: { r: AddReport }) {
  const { t } = useTranslation();
  return (
    <div className="mt-4 space-y-2" data-testid="docs-report">
      <h3 className="text-sm font-semibold">{t('questions.sources.reportTitle')}</h3>
      <p className="text-sm text-slate-600 dark:text-slate-300">{t('questions.sources.summary', { added: r.added, duplicates: r.duplicates, failed: r.failed, skipped: r.skipped, tokenizer: r.tokenizer })}</p>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="py-1 pr-3">{t('questions.sources.file')}</th>
              <th className="py-1 pr-3">{t('questions.sources.pages')}</th>
              <th className="py-1 pr-3">{t('questions.sources.scanned')}</th>
              <th className="py-1 pr-3">{t('questions.sources.chars')}</th>
              <th className="py-1 pr-3">{t('questions.sources.chunks')}</th>
              <th className="py-1">{t('questions.sources.note')}</th>
            </tr>
          </thead>
          <tbody>
            {r.files.map((f, i) => (
              <tr key={`${f.name}-${i}`} className="border-t border-slate-100 align-top dark:border-slate-800">
                <td className="py-1 pr-3">
                  <span className="mr-2 font-mono text-xs">{f.name}</span>
                  <Badge tone={f.status === 'added' ? 'emerald' : f.status === 'failed' ? 'rose' : 'slate'}>{t(`questions.sources.status.${f.status}`)}</Badge>
                </td>
                <td className="py-1 pr-3">{f.pages ? `${f.pages} (${f.pagesWithText} ${t('questions.sources.withText')})` : '—'}</td>
                <td className="py-1 pr-3">{f.scannedPages.length ? f.scannedPages.join(', ') : '—'}</td>
                <td className="py-1 pr-3">{f.chars || '—'}</td>
                <td className="py-1 pr-3">{f.chunks || '—'}</td>
                <td className="py-1 text-xs text-slate-600 dark:text-slate-300">{f.message ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The Sources tab: documents in (upload, a path on the engine's machine, the sample handbook), their chunks, and questions from them. */
export function SourcesPanel({ onChanged, onShowPool }: { onChanged: () => void; onShowPool: () => void }) {
  const { t } = useTranslation();
  const { project } = useProject();
  const [report, setReport] = useState<AddReport | null>(null);
  const [pathText, setPathText] = useState('');
  const [over, setOver] = useState(false);
  const docs = useApiQuery(() => api.docs.list.query(), [project?.path, report]);
  const add = useApiMutation(async (how: { files?: File[]; path?: string; sample?: boolean }) => {
    const r = how.sample
      ? await api.docs.addSample.mutate()
      : how.path
        ? await api.docs.add.mutate({ paths: [how.path] })
        : await api.docs.upload.mutate({ files: await Promise.all((how.files ?? []).map(async (f) => ({ name: f.name, data: await toBase64(f) }))) });
    setReport(r);
    return r;
  });
  const onFiles = (list: FileList | null) => {
    const files = list ? [...list] : [];
    if (files.length) void add.run({ files });
  };
  return (
    <div className="space-y-5">
      <p className="text-sm text-slate-600 dark:text-slate-400">{t('questions.sources.lead')}</p>
      <Card title={t('questions.sources.addTitle')}>
        <label
          data-testid="docs-drop"
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            onFiles(e.dataTransfer.files);
          }}
          className={`flex cursor-pointer flex-col items-center gap-2 rounded-lg border-2 border-dashed p-6 text-sm ${over ? 'border-indigo-500 bg-indigo-50 dark:bg-indigo-950/40' : 'border-slate-300 dark:border-slate-700'}`}
        >
          <span>{t('questions.sources.drop')}</span>
          <span className="rounded-md bg-slate-100 px-3 py-1 font-medium dark:bg-slate-800">{t('questions.sources.choose')}</span>
          <input type="file" multiple accept={ACCEPT} className="sr-only" aria-label={t('questions.sources.choose')} data-testid="docs-file-input" onChange={(e) => onFiles(e.target.files)} />
        </label>
        <div className="mt-4 flex flex-wrap items-end gap-2">
          <label className="flex-1 text-sm">
            <span className="mb-1 block text-slate-600 dark:text-slate-400">{t('questions.sources.pathLabel')}</span>
            <input className={inputClass} value={pathText} placeholder={t('questions.sources.pathPlaceholder')} onChange={(e) => setPathText(e.target.value)} />
          </label>
          <Button disabled={!pathText.trim() || add.pending} onClick={() => void add.run({ path: pathText.trim() })}>
            {t('questions.sources.addPath')}
          </Button>
          <Button variant="primary" disabled={add.pending} onClick={() => void add.run({ sample: true })} title={t('questions.sources.sampleHint')}>
            {t('questions.sources.sample')}
          </Button>
        </div>
        {add.pending && <p className="mt-3 text-sm text-slate-500">{t('questions.sources.reading')}</p>}
        <ErrorNote error={add.error} />
        {report && <Report r={report} />}
      </Card>
      <DocumentsTable docs={docs.data ?? []} error={docs.error} />
      {(docs.data ?? []).some((d) => d.chunks > 0) && <SynthPanel onChanged={onChanged} onShowPool={onShowPool} />}
    </div>
  );
}
