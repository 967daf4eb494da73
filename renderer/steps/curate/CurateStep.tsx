import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { StepShell } from '../../app/StepShell';
import { Button, Card, ErrorNote } from '../../app/ui';
import { useJobs } from '../project/useJobs';
import { Decisions } from './Decisions';
import { Knobs } from './Knobs';
import { PreviewPanel } from './PreviewPanel';
import { Runs } from './Runs';
import type { Recipe } from './types';
import { useProjectForm } from '../../app/useProjectForm';
import { useDebounced } from '../../app/useDebounced';

/** The Curate step: s1's selection with live knobs, stored runs, explained decisions and overrides. */
export function CurateStep({ onGoProject }: { onGoProject: () => void }) {
  return (
    <StepShell step="curate" className="max-w-7xl space-y-5" onGoProject={onGoProject}>
      {(projectPath) => <Workspace projectPath={projectPath} />}
    </StepShell>
  );
}

/**
 * The recipe the step opens with: the one the user last had here (kept in the project), else the frozen
 * run's (what the selection was made with), else the defaults. Saved fields are laid over the defaults, so
 * a setting added in a later version keeps its default.
 */
function Workspace({ projectPath }: { projectPath: string }) {
  const defaults = useApiQuery(() => api.curate.defaults.query(), [projectPath]);
  const form = useProjectForm<Recipe>('curate', projectPath);
  const frozen = useApiQuery(async () => {
    const f = (await api.curate.runs.query()).find((r) => r.frozenAt);
    return f ? (await api.curate.detail.query({ runId: f.id })).recipe : null;
  }, [projectPath]);
  if (!defaults.data || form.saved === undefined || frozen.data === undefined) return <ErrorNote error={defaults.error ?? frozen.error} />;
  const initial = { ...defaults.data, ...(form.saved ?? frozen.data ?? {}) };
  return <Curation key={projectPath} projectPath={projectPath} defaults={defaults.data} initial={initial} onRecipe={form.save} />;
}

function Curation({ projectPath, defaults, initial, onRecipe }: { projectPath: string; defaults: Recipe; initial: Recipe; onRecipe: (r: Recipe) => void }) {
  const { t, i18n } = useTranslation();
  const [recipe, setRecipeState] = useState<Recipe>(initial);
  const setRecipe = (r: Recipe) => {
    setRecipeState(r);
    onRecipe(r);
  };
  const [viewing, setViewing] = useState<number | null>(null);
  const [stored, setStored] = useState<{ id: number; n: number } | null>(null);
  const [overrideSeq, setOverrideSeq] = useState(0);
  const live = useDebounced(recipe, 250);
  const { jobs } = useJobs(projectPath);
  const labelJob = jobs.find((j) => j.kind === 'label-domains');
  const embedJob = jobs.find((j) => j.kind === 'embed');
  const verifyJob = jobs.find((j) => j.kind === 'verify');
  const labelKey = [labelJob, embedJob, verifyJob].map((j) => (j ? `${j.jobId}:${j.status}` : '')).join('|');

  const preview = useApiQuery(() => api.curate.preview.query({ recipe: live, sample: 0 }), [projectPath, live, overrideSeq, labelKey]);
  const runs = useApiQuery(() => api.curate.runs.query(), [projectPath]);
  const overrides = useApiQuery(() => api.curate.overrides.query(), [projectPath, overrideSeq]);
  const run = useApiMutation(() => api.curate.run.mutate({ recipe }));
  const overrideMap = useMemo(() => new Map((overrides.data ?? []).map((o) => [o.questionId, o.action] as const)), [overrides.data]);

  const list = runs.data ?? [];
  const shown = viewing ?? list[0]?.id ?? null;

  const doRun = async () => {
    const r = await run.run();
    if (!r) return;
    setStored({ id: r.runId, n: r.selected });
    setViewing(r.runId);
    await runs.refetch();
  };

  return (
    <div className="grid gap-5 lg:grid-cols-[22rem_minmax(0,1fr)]">
      <Card title={t('curate.knobs.title')} labelId="cur-knobs-title" className="self-start lg:sticky lg:top-0">
        <Knobs recipe={recipe} onChange={setRecipe} onReset={() => setRecipe(defaults)} projectPath={projectPath} labelJob={labelJob} jobs={jobs} clusters={preview.data?.clusters} />
      </Card>
      <div className="min-w-0 space-y-5">
        <PreviewPanel
          preview={preview.data}
          loading={preview.loading || live !== recipe}
          error={preview.error}
          actions={
            <Button variant="primary" disabled={run.pending} onClick={() => void doRun()}>
              {run.pending ? t('curate.run.running') : t('curate.run.run')}
            </Button>
          }
        />
        <ErrorNote error={run.error ?? runs.error} />
        {stored && (
          <p role="status" data-testid="run-msg" className="text-sm text-emerald-700 dark:text-emerald-300">
            {t('curate.run.stored', { id: stored.id, n: stored.n.toLocaleString(i18n.language) })}
          </p>
        )}
        <Runs runs={list} viewing={shown} onView={setViewing} onFrozen={() => void runs.refetch()} />
        {shown !== null && <Decisions runId={shown} overrides={overrideMap} onOverride={() => setOverrideSeq((n) => n + 1)} />}
      </div>
    </div>
  );
}
