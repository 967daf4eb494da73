import { StepShell } from '../../app/StepShell';
import { useJobs } from '../project/useJobs';
import { GenerationPanel } from './GenerationPanel';
import { RubricPanel } from './RubricPanel';
import { TracesView } from './TracesView';

/** The Traces step: generation (settings, live progress) and the traces view with verdicts. */
export function TracesStep({ onGoProject }: { onGoProject: () => void }) {
  return (
    <StepShell step="traces" className="max-w-6xl space-y-5" onGoProject={onGoProject}>
      {(projectPath) => <Workspace projectPath={projectPath} />}
    </StepShell>
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
