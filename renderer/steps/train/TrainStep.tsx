import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../../api/hooks';
import { api } from '../../api/client';
import { useProject } from '../../app/ProjectContext';
import { Button, Card, ErrorNote } from '../../app/ui';
import { trainApi } from './api';
import { History } from './History';
import { RunPanel } from './RunPanel';
import { Setup } from './Setup';

/** The Train step: dataset + base model + recipe with the planner's verdict, launch, live run, history. */
export function TrainStep({ onGoProject }: { onGoProject: () => void }) {
  const { t } = useTranslation();
  const { project } = useProject();
  return (
    <div className="mx-auto max-w-7xl space-y-5">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t('steps.train.title')}</h1>
        <p className="mt-1 text-slate-600 dark:text-slate-400">{t('train.lead')}</p>
      </div>
      {project ? (
        <Workspace key={project.path} projectPath={project.path} />
      ) : (
        <Card>
          <p className="text-sm text-slate-700 dark:text-slate-300">{t('train.noProject')}</p>
          <Button variant="primary" className="mt-4" onClick={onGoProject}>
            {t('train.goProject')}
          </Button>
        </Card>
      )}
    </div>
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
