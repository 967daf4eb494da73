import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/hooks';
import { StepShell } from '../../app/StepShell';
import { ErrorNote } from '../../app/ui';
import { evalApi } from './api';
import { NewRun } from './NewRun';
import { PastRuns } from './PastRuns';
import { Playground } from './Playground';
import { RunView } from './RunView';

type Tab = 'runs' | 'playground';

/** The Evaluate step: models × benchmarks × thinking budgets with budget forcing, the scaling report, past runs and the Playground. */
export function EvaluateStep({ onGoProject }: { onGoProject: () => void }) {
  return (
    <StepShell step="evaluate" className="max-w-7xl space-y-5" onGoProject={onGoProject}>
      {(projectPath) => <Workspace projectPath={projectPath} />}
    </StepShell>
  );
}

function Workspace({ projectPath }: { projectPath: string }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('runs');
  const info = useApiQuery(() => api.app.info.query(), []);
  const models = useApiQuery(() => evalApi.models.list.query(), [projectPath]);
  const benchmarks = useApiQuery(() => evalApi.benchmarks.list.query(), [projectPath]);
  const runs = useApiQuery(() => evalApi.runs.list.query(), [projectPath]);
  const [current, setCurrent] = useState<string | null>(null);
  const shown = current ?? runs.data?.find((r) => r.status === 'running' || r.status === 'queued')?.id ?? null;
  const refreshRuns = useCallback(() => void runs.refetch(), [runs.refetch]);
  const nativePicker = info.data?.nativeFolderPicker ?? false;

  const tabButton = (id: Tab) => (
    <button
      key={id}
      type="button"
      role="tab"
      id={`eval-tab-${id}`}
      aria-selected={tab === id}
      aria-controls={`eval-panel-${id}`}
      onClick={() => setTab(id)}
      className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${tab === id ? 'border-indigo-600 text-indigo-700 dark:text-indigo-300' : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100'}`}
    >
      {t(`evaluate.tabs.${id}`)}
    </button>
  );

  return (
    <>
      <div role="tablist" aria-label={t('evaluate.tabs.label')} className="flex gap-1 border-b border-slate-200 dark:border-slate-800">
        {tabButton('runs')}
        {tabButton('playground')}
      </div>
      <ErrorNote error={models.error ?? benchmarks.error ?? runs.error} />
      {/* Both panels stay mounted, so that switching tabs keeps the settings, the open run and the chat. */}
      <div role="tabpanel" id="eval-panel-runs" aria-labelledby="eval-tab-runs" className="space-y-5" hidden={tab !== 'runs'}>
        <NewRun
          models={models.data ?? []}
          benchmarks={benchmarks.data ?? []}
          nativePicker={nativePicker}
          onModelsChanged={() => void models.refetch()}
          onBenchmarksChanged={() => void benchmarks.refetch()}
          onStarted={(id) => {
            setCurrent(id);
            refreshRuns();
          }}
        />
        {shown && <RunView key={shown} runId={shown} benchmarks={benchmarks.data ?? []} browser={info.data?.mode === 'browser'} onChanged={refreshRuns} />}
        {runs.data && (
          <PastRuns
            runs={runs.data}
            current={shown}
            onOpen={setCurrent}
            onRemoved={(id) => {
              if (shown === id) setCurrent(null);
              refreshRuns();
            }}
          />
        )}
      </div>
      <div role="tabpanel" id="eval-panel-playground" aria-labelledby="eval-tab-playground" hidden={tab !== 'playground'}>
        <Playground models={models.data ?? []} nativePicker={nativePicker} onModelsChanged={() => void models.refetch()} />
      </div>
    </>
  );
}
