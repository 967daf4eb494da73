import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { action, toApiError, useApiMutation, type ApiError } from '../../api/hooks';
import { useProject } from '../../app/ProjectContext';
import { Button, Card, ErrorNote, Field, inputClass } from '../../app/ui';
import { FilePicker } from './FileBrowser';
import { ImportResult } from './ImportResult';
import { MappingForm } from './MappingForm';
import { PreviewPanel } from './PreviewPanel';
import { FORMATS, SHAPES, type Format, type ImportOutcome, type Mapping, type PreviewResult, type Shape } from './types';
import { Select } from './parts';

/** Runs pool.preview (a dry run) whenever the file, format, shape or mapping change, debounced. */
function useLivePreview(file: string, format: Format, shape: Shape, mapping: Mapping) {
  const [preview, setPreview] = useState<PreviewResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const key = JSON.stringify([file, format, shape, mapping]);
  useEffect(() => {
    const mine = ++seq.current;
    if (!file.trim()) {
      setPreview(null);
      setError(null);
      return;
    }
    setLoading(true);
    const timer = setTimeout(() => {
      api.pool.preview
        .mutate({ file: file.trim(), format, shape, mapping, rows: 10 })
        .then((r) => {
          if (mine !== seq.current) return;
          setPreview(r);
          setError(null);
        })
        .catch((e: unknown) => {
          if (mine !== seq.current) return;
          setPreview(null);
          setError(toApiError(e));
        })
        .finally(() => {
          if (mine === seq.current) setLoading(false);
        });
    }, 350);
    return () => clearTimeout(timer);
  }, [key]);
  return { preview, error, loading };
}

/** Import panel: choose a file, format, shape, map the columns, see the live preview, import. */
export function ImportPanel({ onImported, onShowPool }: { onImported: () => void; onShowPool: () => void }) {
  const { t } = useTranslation();
  const { project } = useProject();
  const [file, setFile] = useState('');
  const [format, setFormat] = useState<Format>('auto');
  const [shape, setShape] = useState<Shape>('auto');
  const [mapping, setMapping] = useState<Mapping>({});
  const [source, setSource] = useState('');
  const [result, setResult] = useState<ImportOutcome | null>(null);
  const live = useLivePreview(file, format, shape, mapping);
  const doImport = useApiMutation(() =>
    api.pool.import.mutate({ file: file.trim(), format, shape, mapping, source: source.trim() || undefined }),
  );

  if (result) {
    return (
      <ImportResult
        result={result}
        onShowPool={onShowPool}
        onAnother={() => {
          setResult(null);
          setFile('');
          setMapping({});
        }}
      />
    );
  }

  const p = live.preview;
  return (
    <div className="space-y-5">
      <Card title={t('questions.import.title')} labelId="import-title">
        <div className="grid gap-4 md:grid-cols-[1fr_10rem_10rem]">
          <Field label={t('questions.import.file')} htmlFor="import-file">
            <FilePicker
              id="import-file"
              value={file}
              start={project?.path}
              onChange={(v) => {
                setFile(v);
                setMapping({});
              }}
            />
          </Field>
          <Field label={t('questions.import.format')} htmlFor="import-format">
            <Select id="import-format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f === 'auto' ? t('questions.import.auto') : f.toUpperCase()}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('questions.import.shape')} htmlFor="import-shape">
            <Select id="import-shape" value={shape} onChange={(e) => setShape(e.target.value as Shape)}>
              {SHAPES.map((s) => (
                <option key={s} value={s}>
                  {s === 'auto' ? t('questions.import.auto') : s}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        {!p && !live.error && <p className="mt-2 text-xs text-slate-500">{t('questions.browser.hint')}</p>}
        {p && (
          <p className="mt-2 text-xs text-slate-500" data-testid="detected">
            {t('questions.import.format')}: {t('questions.import.detected', { value: `${p.format}${p.compressed ? ' (gzip)' : ''}` })} · {t('questions.import.shape')}:{' '}
            {t('questions.import.detected', { value: p.shape })}
          </p>
        )}
        <ErrorNote error={live.error} />
      </Card>

      {p && (
        <Card title={t('questions.import.mapping')} labelId="import-mapping" actions={<span className="text-xs text-slate-500">{t('questions.import.columnsFound', { count: p.columns.length })}</span>}>
          <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">{t('questions.import.mappingHelp')}</p>
          <MappingForm columns={p.columns} detected={p.mapping} mapping={mapping} onChange={setMapping} />
        </Card>
      )}

      {p && (
        <Card title={t('questions.import.previewTitle')} labelId="import-preview-title" actions={live.loading ? <span className="text-xs text-slate-500">{t('questions.import.previewing')}</span> : null}>
          <PreviewPanel preview={p} loading={live.loading} />
          <div className="mt-5 flex flex-wrap items-end justify-end gap-3 border-t border-slate-100 pt-4 dark:border-slate-800">
            <div className="w-64">
              <Field label={t('questions.import.source')} htmlFor="import-source">
                <input id="import-source" className={inputClass} value={source} placeholder={t('questions.import.sourcePlaceholder')} onChange={(e) => setSource(e.target.value)} />
              </Field>
            </div>
            <Button
              variant="primary"
              disabled={doImport.pending || live.loading || !p}
              onClick={action(async () => {
                const r = await doImport.run();
                if (r) {
                  setResult(r);
                  onImported();
                }
              })}
            >
              {doImport.pending ? t('questions.import.importing') : t('questions.import.submit')}
            </Button>
          </div>
          <ErrorNote error={doImport.error} />
        </Card>
      )}
    </div>
  );
}
