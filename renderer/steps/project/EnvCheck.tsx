import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { Button, Card, ErrorNote } from '../../app/ui';

/** The environment check (Python, torch, CUDA, GPUs, libraries) from `python -m distillery_worker env --json`. */
export function EnvCheck() {
  const { t } = useTranslation();
  const [force, setForce] = useState(0);
  const env = useApiQuery(() => api.env.check.query({ force: force > 0 }), [force]);
  const e = env.data;
  const row = (label: string, value: string) => (
    <div className="flex justify-between gap-3 py-1">
      <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="text-right font-mono text-xs">{value}</dd>
    </div>
  );
  return (
    <Card
      title={t('env.title')}
      labelId="env-title"
      actions={
        <Button variant="ghost" disabled={env.loading} onClick={() => setForce((f) => f + 1)}>
          {t('env.recheck')}
        </Button>
      }
    >
      <div data-testid="env-check" aria-busy={env.loading}>
        {env.loading && !e && <p className="text-sm text-slate-500">{t('env.checking')}</p>}
        <ErrorNote error={env.error} />
        {e && !e.ok && (
          <div role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-100">
            <p>{e.error}</p>
            <p className="mt-1 text-xs opacity-80">{t('env.setupHint')}</p>
          </div>
        )}
        {e?.ok && (
          <>
            <p className="mb-2 text-sm font-medium text-emerald-700 dark:text-emerald-300">{t('env.ok')}</p>
            <dl className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
              {row(t('env.python'), e.python ?? t('env.missing'))}
              {row(t('env.torch'), e.torch ?? t('env.missing'))}
              {row(t('env.cuda'), e.cuda_available ? (e.cuda_version ?? '✓') : t('env.cudaNone'))}
              {row(t('env.gpus'), e.gpus.length ? e.gpus.map((g) => `${g.name} (${g.memory_gib.toFixed(0)} GiB)`).join(', ') : t('env.noGpus'))}
              {row(
                t('env.libraries'),
                Object.entries(e.libraries)
                  .map(([k, v]) => `${k} ${v ?? t('env.missing')}`)
                  .join(' · '),
              )}
            </dl>
          </>
        )}
      </div>
    </Card>
  );
}
