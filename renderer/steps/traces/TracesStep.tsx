import { useTranslation } from 'react-i18next';
import { useProject } from '../../app/ProjectContext';
import { Button, Card } from '../../app/ui';
import { useJobs } from '../project/useJobs';
import { GenerationPanel } from './GenerationPanel';
import { RubricPanel } from './RubricPanel';
import { TracesView } from './TracesView';

/** The Traces step: generation (settings, live progress) and the traces view with verdicts. */
export function TracesStep({ onGoProject }: { onGoProject: () => void }) {
  const { t } = useTranslation();
  const { project } = useProject();
  return (
    <div className="mx-auto max-w-6xl space-y-5">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t('steps.traces.title')}</h1>
        <p className="mt-1 text-slate-600 dark:text-slate-400">{t('traces.lead')}</p>
      </div>
      {project ? (
        <Workspace projectPath={project.path} />
      ) : (
        <Card>
          <p className="text-sm text-slate-700 dark:text-slate-300">{t('traces.noProject')}</p>
          <Button variant="primary" className="mt-4" onClick={onGoProject}>
            {t('traces.goProject')}
          </Button>
        </Card>
      )}
    </div>
  );
}

function Workspace({ projectPath }: { projectPath: string }) {
  const { jobs } = useJobs(projectPath);
  const gen = jobs.find((j) => j.kind === 'generate');
  const verify = jobs.find((j) => j.kind === 'verify');
  return (
    <>
      <GenerationPanel projectPath={projectPath} job={gen} />
      <TracesView projectPath={projectPath} gen={gen} verify={verify} />
      <RubricPanel jobs={jobs} />
    </>
  );
}
