import { createContext, useContext } from 'react';

export interface OpenProject {
  path: string;
  name: string;
}

export interface ProjectContextValue {
  project: OpenProject | null;
  /** Re-reads project.current after create/open/sample/close. */
  refresh: () => Promise<void>;
  setProject: (p: OpenProject | null) => void;
}

export const ProjectContext = createContext<ProjectContextValue>({
  project: null,
  refresh: async () => {},
  setProject: () => {},
});

export function useProject(): ProjectContextValue {
  return useContext(ProjectContext);
}
