import { PlannedStep } from '../../app/PlannedStep';

/** The Review step. Its engine is not built yet; replace this with the real step when it lands. */
export function ReviewStep({ onGoProject }: { onGoProject: () => void }) {
  return <PlannedStep step="review" onGoProject={onGoProject} />;
}
