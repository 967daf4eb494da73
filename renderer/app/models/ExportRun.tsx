import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../electron/core/api/router';
import { api } from '../../api/client';
import { useApiMutation } from '../../api/hooks';
import { Button, ErrorNote } from '../ui';

type Exported = inferRouterOutputs<AppRouter>['models']['exportRun'];
type Format = 'merged' | 'gguf' | 'onnx';
type Quant = 'q8_0' | 'f16' | 'q4_k_m';

/** A finished run: says whether it is a LoRA adapter, and exports it merged, as GGUF or as ONNX (`models.exportRun`). */
export function ExportRun({ runId, lora }: { runId: string; lora: boolean }) {
  const { t } = useTranslation();
  const [quant, setQuant] = useState<Quant>('q8_0');
  const [done, setDone] = useState<Exported | null>(null);
  const exp = useApiMutation(async (format: Format) => {
    setDone(null);
    const r = await api.models.exportRun.mutate({ runId, format, ...(format === 'gguf' ? { quant } : {}) });
    setDone(r);
    return r;
  });
  return (
    <div className="mt-3 rounded-md border border-slate-200 p-2 text-xs dark:border-slate-700" data-testid="run-export">
      <h3 className="mb-1 text-sm font-semibold">{t('models.export.title')}</h3>
      <p className="mb-2" data-testid="run-export-kind">{lora ? t('models.export.lora') : t('models.export.full')}</p>
      <div className="flex flex-wrap items-center gap-2">
        <Button disabled={exp.pending} onClick={() => void exp.run('merged')}>{t('models.export.merged')}</Button>
        <Button disabled={exp.pending} onClick={() => void exp.run('gguf')}>{t('models.export.gguf')}</Button>
        <label className="flex items-center gap-1">
          {t('models.export.quant')}
          <select value={quant} onChange={(e) => setQuant(e.target.value as Quant)} className="rounded border border-slate-300 bg-transparent px-1 dark:border-slate-600">
            <option value="q8_0">q8_0</option>
            <option value="f16">f16</option>
            <option value="q4_k_m">q4_k_m</option>
          </select>
        </label>
        <Button disabled={exp.pending} onClick={() => void exp.run('onnx')}>{t('models.export.onnx')}</Button>
      </div>
      {exp.pending && <p className="mt-2 text-slate-500">{t('models.export.running')}</p>}
      {exp.error && (
        <div className="mt-2">
          <p className="font-medium">{t('models.export.failed')}</p>
          <ErrorNote error={exp.error} />
        </div>
      )}
      {done && (
        <p role="status" className="mt-2 break-all text-emerald-700 dark:text-emerald-300">
          {t('models.export.done', { out: done.out, seconds: done.seconds })}
          {done.check && done.check.tolerance != null && ` ${t('models.export.checked', { diff: Number(done.check.max_abs_diff).toPrecision(3), tolerance: Number(done.check.tolerance).toPrecision(3) })}`}
        </p>
      )}
    </div>
  );
}
