import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../electron/core/jobs/types';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { Button, ErrorNote, Field, inputClass } from '../../app/ui';
import { FolderInput } from '../project/FolderInput';
import { NumberInput } from './fields';
import { JobBar } from './JobBar';
import type { Recipe } from './types';

type C = Recipe['diversity']['clusters'];

/** A domain name in the user's language: "cluster 7 of 20" and "not embedded" are translated, others shown as they are. */
export function domainName(t: TFunction, domain: string): string {
  const m = /^cluster (\d+) of (\d+)$/.exec(domain);
  if (m) return t('curateEmbed.cluster', { n: m[1], k: m[2] });
  if (domain === 'unlabelled') return t('dashboard.unlabelled'); // the engine's one word for "no domain"
  return domain === 'not embedded' ? t('curateEmbed.notEmbedded') : domain;
}

/** Domains from embedding clusters: the model folder, the embedding job with its progress, k and the k-means seed. */
export function EmbeddingClusters({ value, onChange, job, clusters }: { value: C; onChange: (c: C) => void; job: JobProgress | undefined; clusters: { k: number; points: number; sizes: number[] } | null | undefined }) {
  const { t } = useTranslation();
  const info = useApiQuery(() => api.app.info.query(), []);
  const [dir, setDir] = useState(value.modelDir ?? '');
  const jobKey = job ? `${job.jobId}:${job.status}` : '';
  const target = value.modelDir ? { modelDir: value.modelDir, dtype: value.dtype, maxLength: value.maxLength } : null;
  const status = useApiQuery(() => (target ? api.curate.embedStatus.query(target) : Promise.resolve(null)), [value.modelDir, value.dtype, value.maxLength, jobKey]);
  const embed = useApiMutation(() => api.curate.embed.mutate({ modelDir: value.modelDir ?? '', dtype: value.dtype, maxLength: value.maxLength }));
  // A sentence-transformers folder (safetensors, no onnx/) is offered a conversion into the project's artifacts/models/.
  const convert = useApiMutation(() => api.curate.embedConvert.mutate({ modelDir: value.modelDir ?? '' }));
  const [converted, setConverted] = useState<Awaited<ReturnType<typeof api.curate.embedConvert.mutate>> | null>(null);
  const needsConvert = status.error?.code === 'embed_needs_convert';
  const [started, setStarted] = useState<number | null>(null);
  const running = job && (job.status === 'running' || job.status === 'queued');
  const s = status.data;
  return (
    <div className="space-y-2 rounded-md bg-slate-50 p-2 text-sm ring-1 ring-slate-200 dark:bg-slate-950 dark:ring-slate-800" data-testid="embed-clusters">
      <Field label={t('curateEmbed.model')} htmlFor="cur-embed-model">
        <FolderInput
          id="cur-embed-model"
          value={dir}
          nativePicker={info.data?.nativeFolderPicker ?? false}
          onChange={(p) => {
            setDir(p);
            onChange({ ...value, modelDir: p.trim() || null });
          }}
        />
      </Field>
      <p className="text-xs text-slate-500 dark:text-slate-400">{t('curateEmbed.modelHelp')}</p>
      <div className="grid grid-cols-3 gap-2">
        <Field label={t('curateEmbed.precision')} htmlFor="cur-embed-dtype">
          <select id="cur-embed-dtype" className={inputClass} value={value.dtype} onChange={(e) => onChange({ ...value, dtype: e.target.value as C['dtype'] })}>
            <option value="fp32">{t('curateEmbed.fp32')}</option>
            <option value="q8">{t('curateEmbed.q8')}</option>
          </select>
        </Field>
        <Field label={t('curateEmbed.k')} htmlFor="cur-clusters-k">
          <NumberInput id="cur-clusters-k" value={value.k} min={2} max={10_000} onChange={(k) => k !== null && k >= 2 && onChange({ ...value, k })} />
        </Field>
        <Field label={t('curateEmbed.seed')} htmlFor="cur-clusters-seed">
          <NumberInput id="cur-clusters-seed" value={value.seed} min={0} onChange={(seed) => seed !== null && onChange({ ...value, seed })} />
        </Field>
      </div>
      {s && (
        <p className="text-xs text-slate-700 dark:text-slate-300" data-testid="embed-status">
          {t('curateEmbed.status', { embedded: s.embedded, pool: s.pool })}
        </p>
      )}
      {clusters && <p className="text-xs text-slate-600 dark:text-slate-400">{t('curateEmbed.clusters', { k: clusters.k, points: clusters.points, largest: clusters.sizes[0] ?? 0, smallest: clusters.sizes.at(-1) ?? 0 })}</p>}
      {value.modelDir && s && s.missing > 0 && !running && (
        <Button disabled={embed.pending} onClick={() => void embed.run().then((r) => r && setStarted(r.jobId))}>
          {s.embedded > 0 ? t('curateEmbed.resume', { n: s.missing }) : t('curateEmbed.run')}
        </Button>
      )}
      {started !== null && !job && <p className="text-xs text-emerald-700 dark:text-emerald-300">{t('curateEmbed.started', { id: started })}</p>}
      {job && job.status !== 'done' && (
        <JobBar testId="embed-progress" label={t('curateEmbed.run')} job={job} />
      )}
      {needsConvert && (
        <div className="space-y-1" data-testid="embed-convert">
          <p className="text-xs text-slate-700 dark:text-slate-300">{t('curateEmbed.convertHelp')}</p>
          <Button
            disabled={convert.pending}
            onClick={() =>
              void convert.run().then((r) => {
                if (!r) return;
                setConverted(r);
                setDir(r.path);
                onChange({ ...value, modelDir: r.path });
              })
            }
          >
            {convert.pending ? t('curateEmbed.converting') : t('curateEmbed.convert')}
          </Button>
        </div>
      )}
      {converted && (
        <p className="text-xs text-emerald-700 dark:text-emerald-300" data-testid="embed-converted">
          {converted.check
            ? t('curateEmbed.converted', { path: converted.path, fp32: converted.check.fp32_min_cosine.toFixed(4), int8: converted.check.int8_min_cosine.toFixed(3), n: converted.check.sentences })
            : t('curateEmbed.convertedBefore', { path: converted.path })}
        </p>
      )}
      <ErrorNote error={needsConvert ? convert.error : (status.error ?? embed.error ?? convert.error)} />
    </div>
  );
}
