import { PlannedStep } from '../../app/PlannedStep';

/** The Evaluate step. Its engine is not built yet; replace this with the real step when it lands. */
export function EvaluateStep({ onGoProject }: { onGoProject: () => void }) {
  return <PlannedStep step="evaluate" onGoProject={onGoProject} />;
}
