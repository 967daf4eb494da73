import { useProject } from '../../app/ProjectContext';
import { Dashboard } from './Dashboard';
import { Picker } from './Picker';

/** The Project step: the picker while no project is open, the project's dashboard once one is. */
export function ProjectStep() {
  const { project } = useProject();
  return project ? <Dashboard project={project} /> : <Picker />;
}
