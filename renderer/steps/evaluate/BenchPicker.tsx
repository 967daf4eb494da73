import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { messageText } from '../../api/messages';
import { Button, ErrorNote, inputClass } from '../../app/ui';
import { Markdown } from '../../app/markdown';
import { FilePicker } from '../questions/FileBrowser';
import { evalApi, type BenchmarkInfo, type RejectedRow } from './api';
import { muted, pill } from './format';

const GROUPS: BenchmarkInfo['source'][] = ['evalset', 'builtin', 'imported'];

/** A benchmark's one-line description in the user's language (the engine's English sentence is the fallback). */
function describe(t: (k: string, o?: Record<string, unknown>) => string, b: BenchmarkInfo): string {
  const file = b.file ? b.file.replace(/^.*[\\/]/, '') : '';
  if (b.source === 'builtin') return t(`evaluate.bench.builtins.${b.name}`, { defaultValue: b.description });
  if (b.source === 'evalset') {
    const flagged = /\((\d+) pool question/.exec(b.description)?.[1];
    return flagged !== undefined ? t('evaluate.bench.evalsetDesc', { n: flagged, file }) : b.description;
  }
  return t('evaluate.bench.importedDesc', { file });
}

/** The first questions of a benchmark, as they will be asked (question text rendered as Markdown, never HTML). */
function Preview({ id }: { id: string }) {
  const { t } = useTranslation();
  const q = useApiQuery(() => evalApi.benchmarks.preview.query({ id, limit: 5 }), [id]);
  if (q.error) return <ErrorNote error={q.error} />;
  if (!q.data) return <p className={muted}>{t('common.loading')}</p>;
  return (
    <div className="mt-2 space-y-2 rounded-md bg-slate-50 p-3 dark:bg-slate-950" data-testid="bench-preview">
      <p className={muted}>{t('evaluate.bench.previewOf', { shown: q.data.rows.length, total: q.data.total })}</p>
      {q.data.rows.map((r) => (
        <div key={r.qidx} className="border-t border-slate-200 pt-2 first:border-0 first:pt-0 dark:border-slate-800">
          <p className={muted}>
            #{r.qid} · {t('evaluate.bench.reference')}: <span className="font-mono">{r.reference}</span>
          </p>
          <Markdown text={r.question} className="max-h-32 overflow-y-auto" />
        </div>
      ))}
    </div>
  );
}

/** Every rejected row of an import: file, line, field and why. */
export function RejectedTable({ rows }: { rows: RejectedRow[] }) {
  const { t } = useTranslation();
  if (rows.length === 0) return null;
  return (
    <div className="mt-2 max-h-64 overflow-auto rounded-md border border-amber-200 dark:border-amber-900">
      <table className="w-full text-left text-xs" data-testid="bench-rejected">
        <caption className="sr-only">{t('evaluate.bench.rejectedTitle')}</caption>
        <thead className="sticky top-0 bg-amber-50 dark:bg-amber-950">
          <tr>
            <th className="px-2 py-1">{t('evaluate.bench.line')}</th>
            <th className="px-2 py-1">{t('evaluate.bench.field')}</th>
            <th className="px-2 py-1">{t('evaluate.bench.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.file}:${r.line}:${r.field}`} className="border-t border-amber-100 dark:border-amber-900">
              <td className="px-2 py-0.5 font-mono tabular-nums">{r.line}</td>
              <td className="px-2 py-0.5 font-mono">{r.field}</td>
              <td className="px-2 py-0.5">{messageText(r.reasonMessage ?? r.reason)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type ImportResult = Awaited<ReturnType<typeof evalApi.benchmarks.import.mutate>>;

/** Import a benchmark file; the answer lists how many rows were read and accepted, and every rejected row. */
function ImportBench({ onImported }: { onImported: (b: BenchmarkInfo) => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState('');
  const [name, setName] = useState('');
  const [result, setResult] = useState<ImportResult | null>(null);
  const imp = useApiMutation(async (replace: boolean) => {
    const r = await evalApi.benchmarks.import.mutate({ file: file.trim(), ...(name.trim() ? { name: name.trim() } : {}), replace });
    setResult(r);
    onImported(r.benchmark);
    return r;
  });
  const exists = imp.error?.code === 'benchmark_exists' || /already exists/i.test(imp.error?.message ?? '');
  return (
    <details className="mt-3" data-testid="bench-import">
      <summary className="cursor-pointer text-sm font-medium text-indigo-700 dark:text-indigo-300">{t('evaluate.bench.import')}</summary>
      <div className="mt-2 grid gap-2 sm:grid-cols-[1fr_12rem_auto] sm:items-end">
        <div>
          <label htmlFor="bench-file" className={muted}>
            {t('evaluate.bench.file')}
          </label>
          <FilePicker id="bench-file" value={file} onChange={setFile} />
        </div>
        <div>
          <label htmlFor="bench-name" className={muted}>
            {t('evaluate.bench.name')}
          </label>
          <input id="bench-name" className={inputClass} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
        </div>
        <Button variant="primary" disabled={!file.trim() || imp.pending} onClick={() => void imp.run(false)}>
          {imp.pending ? t('evaluate.bench.importing') : t('evaluate.bench.importButton')}
        </Button>
      </div>
      <p className={`${muted} mt-1`}>{t('evaluate.bench.importHint')}</p>
      <ErrorNote error={imp.error}>
        {exists && (
          <Button className="mt-2" onClick={() => void imp.run(true)}>
            {t('evaluate.bench.replace')}
          </Button>
        )}
      </ErrorNote>
      {result && (
        <div className="mt-2" data-testid="bench-import-result">
          <p className="text-sm">
            {t('evaluate.bench.imported', { name: result.benchmark.name, read: result.read, accepted: result.accepted, rejected: result.rejected.length })}
          </p>
          <RejectedTable rows={result.rejected} />
        </div>
      )}
    </details>
  );
}

/** The benchmarks to run: the project's held-out sets, the built-ins and imported files, ticked in or out. */
export function BenchPicker({
  benchmarks,
  chosen,
  onChange,
  onListChanged,
}: {
  benchmarks: BenchmarkInfo[];
  chosen: string[];
  onChange: (ids: string[]) => void;
  onListChanged: () => void;
}) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<string | null>(null);
  const remove = useApiMutation(async (id: string) => {
    await evalApi.benchmarks.remove.mutate({ id });
    onChange(chosen.filter((c) => c !== id));
    onListChanged();
  });
  return (
    <div>
      {GROUPS.map((g) => {
        const list = benchmarks.filter((b) => b.source === g);
        return (
          <div key={g} className="mb-3" data-testid={`bench-group-${g}`}>
            <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">{t(`evaluate.bench.group.${g}`)}</h3>
            {list.length === 0 ? (
              <p className={muted}>{t(`evaluate.bench.none.${g}`)}</p>
            ) : (
              <ul className="space-y-1">
                {list.map((b) => {
                  const id = `bench-${b.id.replace(/[^a-z0-9]/gi, '-')}`;
                  return (
                    <li key={b.id} data-testid="bench-option" data-id={b.id}>
                      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                        <input id={id} type="checkbox" checked={chosen.includes(b.id)} onChange={(e) => onChange(e.target.checked ? [...chosen, b.id] : chosen.filter((c) => c !== b.id))} />
                        <label htmlFor={id} className="text-sm font-medium">
                          {b.name}
                        </label>
                        <span className={`${pill} bg-slate-100 text-slate-700 tabular-nums dark:bg-slate-800 dark:text-slate-200`}>{t('evaluate.bench.count', { n: b.count })}</span>
                        <span className={`${muted} min-w-0 flex-1 truncate`} title={b.file ?? undefined}>
                          {describe(t, b)}
                        </span>
                        <Button variant="ghost" aria-expanded={preview === b.id} onClick={() => setPreview((p) => (p === b.id ? null : b.id))}>
                          {t('evaluate.bench.preview')}
                        </Button>
                        {b.source === 'imported' && (
                          <Button variant="ghost" onClick={() => void remove.run(b.id)} aria-label={t('evaluate.bench.removeNamed', { name: b.name })}>
                            {t('evaluate.bench.remove')}
                          </Button>
                        )}
                      </div>
                      {preview === b.id && <Preview id={b.id} />}
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
        );
      })}
      <ErrorNote error={remove.error} />
      <ImportBench
        onImported={(b) => {
          if (!chosen.includes(b.id)) onChange([...chosen, b.id]);
          onListChanged();
        }}
      />
    </div>
  );
}
