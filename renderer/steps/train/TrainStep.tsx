import { PlannedStep } from '../../app/PlannedStep';

/** The Train step. Its engine is not built yet; replace this with the real step when it lands. */
export function TrainStep({ onGoProject }: { onGoProject: () => void }) {
  return <PlannedStep step="train" onGoProject={onGoProject} />;
}
