import { useCallback, useState } from 'react';
import { useApiQuery } from '../../api/hooks';
import { api } from '../../api/client';
import { StepShell } from '../../app/StepShell';
import { ErrorNote } from '../../app/ui';
import { trainApi } from './api';
import { History } from './History';
import { RunPanel } from './RunPanel';
import { Setup } from './Setup';

/** The Train step: dataset + base model + recipe with the planner's verdict, launch, live run, history. */
export function TrainStep({ onGoProject }: { onGoProject: () => void }) {
  return (
    <StepShell step="train" className="max-w-7xl space-y-5" onGoProject={onGoProject}>
      {(projectPath) => <Workspace projectPath={projectPath} />}
    </StepShell>
  );
}

function Workspace({ projectPath }: { projectPath: string }) {
  const info = useApiQuery(() => api.app.info.query(), []);
  const runs = useApiQuery(() => trainApi.runs.query(), [projectPath]);
  const [current, setCurrent] = useState<string | null>(null);
  const shown = current ?? runs.data?.find((r) => r.status === 'running' || r.status === 'queued')?.id ?? null;
  const { refetch } = runs;
  const refresh = useCallback(() => void refetch(), [refetch]);
  return (
    <>
      <Setup
        projectPath={projectPath}
        nativePicker={info.data?.nativeFolderPicker ?? false}
        onLaunched={(id) => {
          setCurrent(id);
          refresh();
        }}
      />
      {shown && <RunPanel key={shown} runId={shown} onChanged={refresh} />}
      <ErrorNote error={runs.error} />
      {runs.data && <History runs={runs.data} current={shown} onOpen={setCurrent} />}
    </>
  );
}
