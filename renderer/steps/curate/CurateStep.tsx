import { PlannedStep } from '../../app/PlannedStep';

/** The Curate step. Its engine is not built yet; replace this with the real step when it lands. */
export function CurateStep({ onGoProject }: { onGoProject: () => void }) {
  return <PlannedStep step="curate" onGoProject={onGoProject} />;
}
