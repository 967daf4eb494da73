/**
 * Where a user-chosen output file (a review bundle) may be written. Nothing the user made is ever lost:
 * - never over a project's database (project.sqlite and its -wal/-shm/-journal, in any folder), even when asked;
 * - never anywhere inside the open project's folder except the folders the app itself writes such files to
 *   (artifacts/bundles/, artifacts/exports/), even when asked: runs, checkpoints and reports live there;
 * - never over an existing file elsewhere unless the caller says `overwrite` (CLI --force, API overwrite: true);
 * - never over a folder.
 * Paths are compared after resolving symbolic links, so a link into the project is refused like the project.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from './errors';

const DB_NAMES = new Set(['project.sqlite', 'project.sqlite-wal', 'project.sqlite-shm', 'project.sqlite-journal']);
/** The folders under a project where user-named output files may go. */
export const OUTPUT_FOLDERS = ['artifacts/bundles', 'artifacts/exports'] as const;

/** `p` with its longest existing prefix resolved through symbolic links (the rest kept as written). */
function realish(p: string): string {
  const rest: string[] = [];
  let cur = path.resolve(p);
  for (;;) {
    try {
      return path.join(fs.realpathSync(cur), ...rest);
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return path.join(cur, ...rest);
      rest.unshift(path.basename(cur));
      cur = parent;
    }
  }
}

const inside = (child: string, parent: string) => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
};

export interface OutputCheck {
  /** The absolute path to write. */
  file: string;
  /** The open project's folder. */
  projectDir: string;
  /** Replace an existing file (outside the project's protected files). */
  overwrite?: boolean;
  /** What is written, for the sentences: "the review bundle". */
  what: string;
  /** How to ask for an overwrite, for the sentence: 'pass --force' or 'confirm the overwrite'. */
  forceHint: string;
}

/** Throws a UserError sentence when `file` may not be written; returns whether it already exists. */
export function checkOutputFile(c: OutputCheck): { exists: boolean } {
  const real = realish(c.file);
  const project = realish(c.projectDir);
  const names = [path.basename(c.file), path.basename(real)];
  if (names.some((n) => DB_NAMES.has(n))) {
    throw new UserError(
      `${c.file} is a project database file (${names.find((n) => DB_NAMES.has(n))}); Distillery never writes ${c.what} over one, even when asked to overwrite. Choose another file name.`,
      'out_is_project_file',
    );
  }
  if (inside(real, project) && !OUTPUT_FOLDERS.some((f) => inside(real, path.join(project, f)) && real !== path.join(project, f))) {
    throw new UserError(
      `${c.file} is inside the project folder ${c.projectDir}, which holds its database, runs and checkpoints; Distillery writes ${c.what} there only under ${OUTPUT_FOLDERS.map((f) => path.join(c.projectDir, f)).join(' or ')}. Choose a file there or outside the project.`,
      'out_in_project',
    );
  }
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(c.file);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) throw new UserError(`${c.file} is a folder; give a file name for ${c.what}, such as ${path.join(c.file, 'review.jsonl')}.`, 'out_is_folder');
  if (st && !c.overwrite) {
    throw new UserError(`${c.file} already exists and was left as it is; choose another file name, or ${c.forceHint}.`, 'out_exists');
  }
  return { exists: !!st };
}

/**
 * Moves a finished temporary file to `file`. Without `overwrite` the move is a hard link, which fails if
 * `file` appeared meanwhile (no check-then-write race); where links are not supported it falls back to rename.
 */
export function placeOutputFile(tmp: string, file: string, overwrite: boolean): void {
  if (overwrite) {
    fs.renameSync(tmp, file);
    return;
  }
  try {
    fs.linkSync(tmp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UserError(`${file} appeared while it was being written and was left as it is; choose another file name.`, 'out_exists');
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw e;
    fs.renameSync(tmp, file);
    return;
  }
  fs.rmSync(tmp, { force: true });
}
