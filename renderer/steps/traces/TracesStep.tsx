import { PlannedStep } from '../../app/PlannedStep';

/** The Traces step. Its engine is not built yet; replace this with the real step when it lands. */
export function TracesStep({ onGoProject }: { onGoProject: () => void }) {
  return <PlannedStep step="traces" onGoProject={onGoProject} />;
}
