import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../electron/core/api/router';
import { api } from '../../api/client';
import { useApiMutation } from '../../api/hooks';
import { Button, ErrorNote, inputClass } from '../ui';

type Imported = inferRouterOutputs<AppRouter>['models']['importGguf'];

/**
 * "Import a GGUF file…" beside a model-folder field (Teacher's local model, Train's base model): converts the file
 * into a model folder (`models.importGguf`) and hands the new folder to `onImported`.
 */
export function ImportGguf({ id, onImported }: { id: string; onImported: (dir: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState('');
  const [done, setDone] = useState<Imported | null>(null);
  const convert = useApiMutation(async (f: string) => {
    const r = await api.models.importGguf.mutate({ file: f });
    setDone(r);
    onImported(r.out);
    return r;
  });
  if (!open) {
    return (
      <button type="button" className="mt-1 text-xs text-indigo-700 underline dark:text-indigo-300" onClick={() => setOpen(true)} data-testid={`${id}-open`}>
        {t('models.importGguf.open')}
      </button>
    );
  }
  return (
    <div className="mt-2 space-y-2 rounded-md border border-slate-200 p-2 dark:border-slate-700" data-testid={id}>
      <label htmlFor={`${id}-file`} className="block text-xs font-medium">
        {t('models.importGguf.file')}
      </label>
      <input id={`${id}-file`} className={inputClass} value={file} onChange={(e) => setFile(e.target.value)} placeholder="/models/model.Q4_K_M.gguf" spellCheck={false} />
      <div className="flex gap-2">
        <Button variant="primary" disabled={!file.trim() || convert.pending} onClick={() => void convert.run(file.trim())}>
          {convert.pending ? t('models.importGguf.converting') : t('models.importGguf.convert')}
        </Button>
        <Button onClick={() => setOpen(false)} disabled={convert.pending}>
          {t('models.importGguf.cancel')}
        </Button>
      </div>
      <ErrorNote error={convert.error} />
      {done && (
        <p role="status" className="text-xs text-emerald-700 dark:text-emerald-300">
          {t('models.importGguf.done', { architecture: done.architecture, params: (done.parameters / 1e6).toFixed(1), dtype: done.dtype, out: done.out })}
        </p>
      )}
    </div>
  );
}
