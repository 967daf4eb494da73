import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../electron/core/jobs/types';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { Button, ErrorNote, Field, inputClass } from '../../app/ui';
import { NumberInput } from './fields';
import { JobBar } from './JobBar';
import type { Recipe } from './types';

/**
 * s1's difficulty filter in one click: the checked filter models answer the candidate questions (generate job,
 * k samples), then the answers are checked (verify job); the difficulty stage reads those verdicts.
 */
export function DifficultyFilter({ recipe, jobs }: { recipe: Recipe; jobs: JobProgress[] }) {
  const { t } = useTranslation();
  // The filter models and every pass-rate band's model; k defaults to the largest band's k (LIMO: 8).
  const bands = recipe.difficulty.bands ?? [];
  // A band with role 'student' is answered by the student folder itself (the in-app engine or a local server).
  const studentBand = bands.find((b) => b.role === 'student');
  const student = studentBand && recipe.studentDir ? { dir: recipe.studentDir, name: studentBand.model } : undefined;
  const models = [...new Set([...recipe.difficulty.filterModels, ...bands.filter((b) => b.role !== 'student').map((b) => b.model)])];
  const maxK = Math.max(1, ...bands.map((b) => b.k));
  const [samples, setSamples] = useState(maxK);
  useEffect(() => setSamples(maxK), [maxK]);
  const [scope, setScope] = useState<'candidates' | 'all'>('candidates');
  const byId = new Map(jobs.map((j) => [j.jobId, j] as const));
  const chainKey = jobs
    .filter((j) => j.kind === 'generate' || j.kind === 'verify')
    .map((j) => `${j.jobId}:${j.status}`)
    .join(',');
  const status = useApiQuery(() => api.curate.difficultyFilterStatus.query(), [chainKey]);
  const start = useApiMutation(() => api.curate.difficultyFilter.mutate({ models, student, samples, scope, recipe }));
  const st = status.data;
  const busy = st && (st.phase === 'generating' || st.phase === 'checking');
  return (
    <div className="space-y-2 rounded-md bg-slate-50 p-2 text-sm ring-1 ring-slate-200 dark:bg-slate-950 dark:ring-slate-800" data-testid="difficulty-filter">
      <h4 className="text-xs font-medium text-slate-700 dark:text-slate-300">{t('curateEmbed.filterTitle')}</h4>
      <p className="text-xs text-slate-500 dark:text-slate-400">{t('curateEmbed.filterHelp', { k: samples })}</p>
      <div className="grid grid-cols-2 gap-2">
        <Field label={t('curateEmbed.filterSamples')} htmlFor="cur-filter-samples">
          <NumberInput id="cur-filter-samples" value={samples} min={1} max={64} onChange={(n) => n !== null && n >= 1 && setSamples(n)} />
        </Field>
        <Field label={t('curateEmbed.filterScope')} htmlFor="cur-filter-scope">
          <select id="cur-filter-scope" className={inputClass} value={scope} onChange={(e) => setScope(e.target.value as 'candidates' | 'all')}>
            <option value="candidates">{t('curateEmbed.scopeCandidates')}</option>
            <option value="all">{t('curateEmbed.scopeAll')}</option>
          </select>
        </Field>
      </div>
      {studentBand && !recipe.studentDir && <p className="text-xs text-amber-700 dark:text-amber-300">{t('curatePresets.bands.needStudentDir')}</p>}
      {models.length === 0 && !student ? (
        <p className="text-xs text-slate-500 dark:text-slate-400">{t('curateEmbed.filterNeedModels')}</p>
      ) : (
        <Button disabled={start.pending || !!busy} onClick={() => void start.run().then(() => status.refetch())}>
          {t('curateEmbed.filterRun')}
        </Button>
      )}
      {st && (
        <div className="space-y-2" data-testid="filter-status">
          <p className="text-xs font-medium text-slate-700 dark:text-slate-300">{t(`curateEmbed.phase.${st.phase}`)}</p>
          {st.jobs.map((j) => {
            const live = byId.get(j.jobId);
            const job = live ?? { ...j, ratePerSec: null, etaSec: null, extra: {} };
            return <JobBar key={j.jobId} job={job} label={j.model ? t('curateEmbed.jobGenerate', { model: j.model }) : t('curateEmbed.jobVerify')} />;
          })}
        </div>
      )}
      <ErrorNote error={start.error ?? status.error} />
    </div>
  );
}
