// The model folders the open project names, gathered from the domains that remember them (teachers, training
// runs, the Evaluate step's models, saved forms) for env/models.ts, which sits below those domains (issue 16
// §3: each domain reads its own tables).
import type { DB } from '../store/project';
import { projectModelRefs as refsFrom, type ModelRef, type ModelSources } from '../env/models';
import { evalModelDirs } from '../eval/store';
import { savedForms } from '../forms/store';
import { teacherModels } from '../teacher/store';
import { recentRunConfigs } from '../train/store';

/** What `read` gives, or nothing when it fails (a project made before that table existed). */
function orNone<T>(read: () => T[]): T[] {
  try {
    return read();
  } catch {
    return [];
  }
}

/** What the project remembers that may name model folders (the 20 latest training runs). */
export function modelSources(db: DB): ModelSources {
  return {
    teachers: orNone(() => teacherModels(db)),
    trainRuns: orNone(() => recentRunConfigs(db, 20)),
    evalModels: orNone(() => evalModelDirs(db)),
    forms: orNone(() => savedForms(db)),
  };
}

/** The model folders the project refers to (at most 30, each once), with where it refers to them. */
export function projectModelRefs(db: DB, projectDir: string): ModelRef[] {
  return refsFrom(modelSources(db), projectDir);
}
