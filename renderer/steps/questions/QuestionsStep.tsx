import { PlannedStep } from '../../app/PlannedStep';

/** The Questions step. Its engine is not built yet; replace this with the real step when it lands. */
export function QuestionsStep({ onGoProject }: { onGoProject: () => void }) {
  return <PlannedStep step="questions" onGoProject={onGoProject} />;
}
