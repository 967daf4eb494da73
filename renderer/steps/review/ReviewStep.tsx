import { StepShell } from '../../app/StepShell';
import { Workspace } from './Workspace';

/** The Review step: read, fix and decide on each trace of the frozen selection (or the pool) in Monaco. */
export function ReviewStep({ onGoProject }: { onGoProject: () => void }) {
  return (
    <StepShell step="review" className="max-w-[110rem] space-y-3" leadClassName="text-sm" onGoProject={onGoProject}>
      {(projectPath) => <Workspace projectPath={projectPath} />}
    </StepShell>
  );
}
