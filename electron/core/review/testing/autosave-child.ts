/**
 * A reviewer typing: saves an edit of one trace every ~50 ms the way the editor's autosave does (same window
 * id, so the burst folds into one revision), printing "ack N" after each save returned. The SIGKILL test kills it.
 * Usage: node --import tsx autosave-child.ts PROJECT_DIR TRACE_ID
 */
import { openProject } from '../../store/project';
import { writeRevision } from '../revisions';
import { autosaveText } from './fixture';

const [dir, idArg] = process.argv.slice(2);
const traceId = Number(idArg);
const project = openProject(dir as string);
let head = (project.db.prepare('SELECT MAX(n) FROM review_revisions WHERE trace_id = ?').pluck().get(traceId) as number | null) ?? 0;
let i = 0;
const tick = () => {
  i++;
  const r = writeRevision(project.db, { traceId, baseRevision: head, ...autosaveText(i), author: 'typist', clientId: 'child-window', kind: 'edit' });
  if (!r.ok) throw new Error(`unexpected conflict at save ${i}`);
  head = r.head;
  process.stdout.write(`ack ${i}\n`);
  setTimeout(tick, 50);
};
tick();
