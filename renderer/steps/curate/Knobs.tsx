import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { Button, ErrorNote, Field, inputClass } from '../../app/ui';
import { Advanced, Group, NumberInput } from './fields';
import type { Recipe } from './types';
import type { JobProgress } from '../../../electron/core/jobs/types';
import { AgreementSwitches } from './AgreementSwitches';
import { EmbeddingClusters } from './Embedding';
import { DifficultyKnobs } from './DifficultyKnobs';
import { Presets } from './Presets';
import { QualityKnobs } from './QualityKnobs';
import { stageSummary } from './summaries';

type V = Recipe['diversity'];

/** Every knob of the recipe; each change goes straight to the live preview. */
export function Knobs({
  recipe,
  onChange,
  onReset,
  projectPath,
  labelJob,
  jobs,
  clusters,
}: {
  recipe: Recipe;
  onChange: (r: Recipe) => void;
  onReset: () => void;
  projectPath: string;
  labelJob: { done: number; total: number | null; status: string } | undefined;
  jobs: JobProgress[];
  clusters: { k: number; points: number; sizes: number[] } | null | undefined;
}) {
  const { t, i18n } = useTranslation();
  const teachers = useApiQuery(() => api.teacher.list.query(), [projectPath]);
  const taxonomies = useApiQuery(() => api.curate.taxonomies.query(), [projectPath]);
  const v = recipe.diversity;
  const setV = (p: Partial<V>) => onChange({ ...recipe, diversity: { ...v, ...p } });
  const teacherNames = (teachers.data ?? []).map((x) => x.name);

  return (
    <div className="space-y-4" data-testid="knobs">
      <Presets recipe={recipe} teachers={teacherNames} onChange={onChange} />
      <div className="grid grid-cols-2 gap-3">
        <Field label={t('curate.knobs.target')} htmlFor="cur-target">
          <NumberInput id="cur-target" value={recipe.target} min={1} max={1_000_000} onChange={(n) => n !== null && onChange({ ...recipe, target: n })} />
        </Field>
        <Field label={t('curate.knobs.seed')} htmlFor="cur-seed">
          <NumberInput id="cur-seed" value={recipe.seed} min={0} max={2 ** 32 - 1} onChange={(n) => n !== null && onChange({ ...recipe, seed: n })} />
        </Field>
      </div>
      <Field label={t('curate.knobs.name')} htmlFor="cur-name">
        <input id="cur-name" className={inputClass} value={recipe.name ?? ''} maxLength={200} onChange={(e) => onChange({ ...recipe, name: e.target.value || undefined })} />
      </Field>

      <QualityKnobs recipe={recipe} onChange={onChange} />
      <DifficultyKnobs recipe={recipe} onChange={onChange} teachers={teacherNames} jobs={jobs} />

      <Group id="cur-diversity-on" stage="diversity" title={t('curate.knobs.diversity')} enabled={v.enabled} onEnabled={(enabled) => setV({ enabled })} enabledLabel={t('curate.knobs.diversityOn')} summary={stageSummary(t, recipe, 'diversity', i18n.language)}>
        <Field label={t('curate.knobs.domainSource')} htmlFor="cur-domains">
          <select id="cur-domains" className={inputClass} value={v.domains} onChange={(e) => setV({ domains: e.target.value as V['domains'] })}>
            <option value="auto">{t('curate.knobs.srcAuto')}</option>
            <option value="column">{t('curate.knobs.srcColumn')}</option>
            <option value="labels">{t('curate.knobs.srcLabels')}</option>
            <option value="clusters">{t('curateEmbed.srcClusters')}</option>
          </select>
        </Field>
        {v.domains === 'clusters' && <EmbeddingClusters value={v.clusters} onChange={(c) => setV({ clusters: c })} job={jobs.find((j) => j.kind === 'embed')} clusters={clusters} />}
        {(v.domains === 'labels' || v.domains === 'auto') && <Labelling taxonomy={v.taxonomy} teachers={teacherNames} job={labelJob} />}
        <Field label={t('curatePresets.tracesPerQuestion')} htmlFor="cur-traces-per-question">
          <NumberInput id="cur-traces-per-question" value={recipe.tracesPerQuestion ?? 1} min={1} max={64} onChange={(n) => n !== null && onChange({ ...recipe, tracesPerQuestion: n })} />
        </Field>
        <p className="text-xs text-slate-500 dark:text-slate-400">{t('curatePresets.tracesHelp')}</p>
        <Advanced stage="diversity" label={t('curatePresets.advanced')}>
          {(v.domains === 'labels' || v.domains === 'auto') && (
            <Field label={t('curate.knobs.taxonomy')} htmlFor="cur-taxonomy">
              <select id="cur-taxonomy" className={inputClass} value={v.taxonomy} onChange={(e) => setV({ taxonomy: e.target.value })}>
                {(taxonomies.data ?? [{ name: v.taxonomy, builtin: true, size: 0 }]).map((x) => (
                  <option key={x.name} value={x.name}>
                    {x.name} ({x.size})
                  </option>
                ))}
              </select>
            </Field>
          )}
          <div className="grid grid-cols-2 gap-3">
            <Field label={t('curate.knobs.weighting')} htmlFor="cur-weighting">
              <select id="cur-weighting" className={inputClass} value={v.weighting} onChange={(e) => setV({ weighting: e.target.value as V['weighting'] })}>
                <option value="uniform">{t('curate.knobs.uniform')}</option>
                <option value="size">{t('curate.knobs.size')}</option>
              </select>
            </Field>
            <Field label={t('curate.knobs.rankBy')} htmlFor="cur-rank">
              <select id="cur-rank" className={inputClass} value={v.rankBy} onChange={(e) => setV({ rankBy: e.target.value as V['rankBy'] })}>
                <option value="thinking_length">{t('curate.knobs.rankLength')}</option>
                <option value="random">{t('curate.knobs.rankRandom')}</option>
                <option value="chain_quality">{t('curatePresets.rankChain')}</option>
              </select>
            </Field>
          </div>
        </Advanced>
      </Group>

      <AgreementSwitches recipe={recipe} onChange={onChange} projectPath={projectPath} />

      <Button variant="ghost" onClick={onReset}>
        {t('curate.knobs.reset')}
      </Button>
    </div>
  );
}

/** Labels for the chosen taxonomy: from the imported column, or by a teacher (the durable label-domains job). */
function Labelling({ taxonomy, teachers, job }: { taxonomy: string; teachers: string[]; job: { done: number; total: number | null; status: string } | undefined }) {
  const { t } = useTranslation();
  const label = useApiMutation((teacher: string) => api.curate.label.mutate({ teacher, taxonomy }));
  const fromColumn = useApiMutation(() => api.curate.labelsFromColumn.mutate({ taxonomy }));
  const [started, setStarted] = useState<string | null>(null);
  const [teacher, setTeacher] = useState('');
  return (
    <div className="space-y-2 rounded-md bg-slate-50 p-2 text-sm ring-1 ring-slate-200 dark:bg-slate-950 dark:ring-slate-800">
      {teachers.length > 0 && (
        <div className="flex items-end gap-2">
          <Field label={t('curate.knobs.labelTeacher')} htmlFor="cur-label-teacher">
            <select id="cur-label-teacher" className={inputClass} value={teacher || teachers[0]} onChange={(e) => setTeacher(e.target.value)}>
              {teachers.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </Field>
          <Button
            disabled={label.pending}
            onClick={() => void label.run(teacher || teachers[0]!).then((r) => r && setStarted(t('curate.knobs.labelStarted', { id: r.jobId })))}
          >
            {t('curate.knobs.labelStart')}
          </Button>
        </div>
      )}
      <Button variant="ghost" disabled={fromColumn.pending} onClick={() => void fromColumn.run().then((r) => r && setStarted(t('curate.knobs.fromColumnDone', { n: r.labelled })))}>
        {t('curate.knobs.fromColumn')}
      </Button>
      {job && job.status !== 'done' && <p className="text-xs text-slate-600 dark:text-slate-300">{t('curate.knobs.labelProgress', { done: job.done, total: job.total ?? "?" })}</p>}
      {started && <p className="text-xs text-emerald-700 dark:text-emerald-300">{started}</p>}
      <ErrorNote error={label.error ?? fromColumn.error} />
    </div>
  );
}
