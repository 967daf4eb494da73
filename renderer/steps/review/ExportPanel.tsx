import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { action, useApiMutation, useApiQuery } from '../../api/hooks';
import { Button, ErrorNote, Field, inputClass } from '../../app/ui';
import { muted } from './types';

const FORMATS = ['trl', 's1k', 'llamafactory', 'alpaca'] as const;
type Format = (typeof FORMATS)[number];

/** Export of the reviewed set (accepted only by default) for training, with a seeded split and a dataset card. */
export function ExportPanel() {
  const { t, i18n } = useTranslation();
  const [format, setFormat] = useState<Format>('trl');
  const [include, setInclude] = useState<'accepted' | 'all'>('accepted');
  const [val, setVal] = useState('0.05');
  const [seed, setSeed] = useState('42');
  const [reasoningField, setReasoningField] = useState(false);
  const [allowEmptyThinking, setAllowEmptyThinking] = useState(false);
  const [out, setOut] = useState('');
  const valN = Number(val);
  const seedN = Number(seed);
  const ok = Number.isFinite(valN) && valN >= 0 && valN < 1 && Number.isInteger(seedN);
  const preview = useApiQuery(() => api.export.preview.query({ include, val: valN, seed: seedN }), [include, valN, seedN], ok);
  const run = useApiMutation(() => api.export.run.mutate({ format, include, val: valN, seed: seedN, reasoningField, allowEmptyThinking, out: out.trim() || undefined }));
  const [result, setResult] = useState<Awaited<ReturnType<typeof api.export.run.mutate>> | null>(null);
  const nf = (n: number) => n.toLocaleString(i18n.language);
  const p = preview.data;

  return (
    <div className="space-y-3" data-testid="export-panel">
      <p className={muted}>{t('review.export.help')}</p>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label={t('review.export.format')} htmlFor="export-format">
          <select id="export-format" className={inputClass} value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`review.export.formats.${f}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('review.export.include')} htmlFor="export-include">
          <select id="export-include" className={inputClass} value={include} onChange={(e) => setInclude(e.target.value as 'accepted' | 'all')}>
            <option value="accepted">{t('review.export.accepted')}</option>
            <option value="all">{t('review.export.all')}</option>
          </select>
        </Field>
        <Field label={t('review.export.val')} htmlFor="export-val">
          <input id="export-val" className={inputClass} inputMode="decimal" value={val} onChange={(e) => setVal(e.target.value)} />
        </Field>
        <Field label={t('review.export.seed')} htmlFor="export-seed">
          <input id="export-seed" className={inputClass} inputMode="numeric" value={seed} onChange={(e) => setSeed(e.target.value)} />
        </Field>
      </div>
      {format === 'trl' && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={reasoningField} onChange={(e) => setReasoningField(e.target.checked)} className="accent-indigo-600" />
          {t('review.export.reasoningField')}
        </label>
      )}
      <Field label={t('review.export.out')} htmlFor="export-out">
        <input id="export-out" className={inputClass} placeholder={t('review.export.outPlaceholder')} value={out} onChange={(e) => setOut(e.target.value)} />
      </Field>
      {!ok && <p className="text-sm text-rose-700 dark:text-rose-300">{t('review.export.badNumbers')}</p>}
      {p && (
        <p className="text-sm" data-testid="export-preview">
          {t('review.export.preview', { count: p.samples, samples: nf(p.samples), train: nf(p.train), validation: nf(p.validation) })}
        </p>
      )}
      {p?.emptySelection && (
        <p role="note" className="text-sm text-amber-800 dark:text-amber-200" data-testid="export-empty-selection">
          {t('review.export.emptySelection')}
        </p>
      )}
      {p && p.noThinking > 0 && (
        // One sentence with the count; the engine refuses these samples unless the box is ticked.
        <div className="space-y-1 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100" data-testid="export-no-thinking">
          <p>{t('review.export.noThinking', { count: p.noThinking, n: nf(p.noThinking) })}</p>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={allowEmptyThinking} onChange={(e) => setAllowEmptyThinking(e.target.checked)} className="accent-indigo-600" />
            {t('review.export.allowEmpty')}
          </label>
        </div>
      )}
      {p && p.truncated > 0 && <p className={muted}>{t('review.export.truncated', { count: p.truncated, n: nf(p.truncated) })}</p>}
      <Button
        variant="primary"
        disabled={!ok || run.pending}
        onClick={action(async () => {
          setResult(null);
          const r = await run.run();
          if (r) setResult(r);
        })}
      >
        {run.pending ? t('review.export.running') : t('review.export.run')}
      </Button>
      <ErrorNote error={run.error ?? preview.error} />
      {result && <ExportResult result={result} />}
    </div>
  );
}

function ExportResult({ result }: { result: { dir: string; train: number; validation: number; files: string[] } }) {
  const { t, i18n } = useTranslation();
  return (
    <div role="status" data-testid="export-result" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-100">
      <p>{t('review.export.done', { train: result.train.toLocaleString(i18n.language), validation: result.validation.toLocaleString(i18n.language), dir: result.dir })}</p>
      <ul className="mt-1 list-disc pl-5 font-mono text-xs">
        {result.files.map((f) => (
          <li key={f}>{f}</li>
        ))}
      </ul>
    </div>
  );
}
