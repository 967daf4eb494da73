import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { Button, Card, ErrorNote } from '../../app/ui';

/**
 * The environment (Python, torch, CUDA, GPUs, libraries). It shows the preflight's fast facts at once (versions from
 * installed metadata, nothing imported) and the full check's answer when it already ran; the full check (torch imported,
 * 5-15 s: does CUDA work, which GPUs) runs only when asked here. Train runs the same check itself when it needs it.
 */
export function EnvCheck() {
  const { t } = useTranslation();
  const [force, setForce] = useState(0);
  const [cudaAsked, setCudaAsked] = useState(0);
  const facts = useApiQuery(() => api.env.facts.query({ force: force > 0 }), [force]);
  const cuda = useApiQuery(() => api.env.check.query({ force: cudaAsked > 1 }), [cudaAsked], cudaAsked > 0);
  const q = facts.data?.quick;
  const full = (cudaAsked > 0 ? cuda.data : undefined) ?? facts.data?.full ?? null;
  const row = (label: string, value: string, testId?: string) => (
    <div className="flex justify-between gap-3 py-1" data-testid={testId}>
      <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="text-right font-mono text-xs">{value}</dd>
    </div>
  );
  const cudaRow = full?.ok ? (full.cuda_available ? (full.cuda_version ?? '✓') : t('env.cudaNone')) : q?.cuda_version ? t('env.cudaBuilt', { version: q.cuda_version }) : t('env.cpuBuild');
  const gpusRow = full?.ok ? (full.gpus.length ? full.gpus.map((g) => `${g.name} (${g.memory_gib.toFixed(0)} GiB)`).join(', ') : t('env.noGpus')) : t('env.notChecked');
  return (
    <Card
      title={t('env.title')}
      labelId="env-title"
      actions={
        <Button variant="ghost" disabled={facts.loading} onClick={() => setForce((f) => f + 1)}>
          {t('env.recheck')}
        </Button>
      }
    >
      <div data-testid="env-check" aria-busy={facts.loading || cuda.loading}>
        {facts.loading && !q && <p className="text-sm text-slate-500">{t('env.checking')}</p>}
        <ErrorNote error={facts.error ?? cuda.error} />
        {q && !q.ok && (
          <div role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-100">
            <p>{q.error}</p>
            <p className="mt-1 text-xs opacity-80">{t('env.setupHint')}</p>
          </div>
        )}
        {q?.ok && (
          <>
            <p className="mb-2 text-sm font-medium text-emerald-700 dark:text-emerald-300">{t('env.ok')}</p>
            <dl className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
              {row(t('env.python'), q.python ?? t('env.missing'))}
              {row(t('env.torch'), q.torch ?? t('env.missing'))}
              {row(t('env.cuda'), cudaRow, 'env-cuda')}
              {row(t('env.gpus'), gpusRow, 'env-gpus')}
              {row(
                t('env.libraries'),
                Object.entries(q.libraries)
                  .map(([k, v]) => `${k} ${v ?? t('env.missing')}`)
                  .join(' · '),
              )}
            </dl>
            {full && !full.ok && <p className="mt-2 text-sm text-amber-800 dark:text-amber-200">{full.error}</p>}
            <div className="mt-2 flex items-center gap-3">
              <Button variant="ghost" disabled={cuda.loading} onClick={() => setCudaAsked((n) => (n === 0 && full ? 2 : n + 1))}>
                {cuda.loading ? t('env.cudaChecking') : full ? t('env.cudaRecheck') : t('env.checkCuda')}
              </Button>
              <p className="text-xs text-slate-500 dark:text-slate-400">{t('env.cudaHint')}</p>
            </div>
          </>
        )}
      </div>
    </Card>
  );
}
