import { PlannedStep } from '../../app/PlannedStep';

/** The Teacher step. Its engine is not built yet; replace this with the real step when it lands. */
export function TeacherStep({ onGoProject }: { onGoProject: () => void }) {
  return <PlannedStep step="teacher" onGoProject={onGoProject} />;
}
