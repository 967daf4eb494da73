/**
 * Files and folders a user makes (the project database, artifacts/, the config folder) are readable by
 * that user only: 0600 files, 0700 folders. `mode` given to mkdir/open is masked by the umask (it can
 * only remove bits), so every helper sets the mode at creation AND chmods afterwards, which makes the
 * result exact whatever the umask. On Windows the POSIX bits mean little (chmod only toggles the
 * read-only flag) and access is governed by the profile's ACLs, so the helpers are harmless there.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and missing parents) as 0700. Only folders this call created are chmodded: a parent
 * the user already had (their home, a shared disk) keeps its mode.
 */
export function mkdirPrivate(dir: string): void {
  const abs = path.resolve(dir);
  const first = fs.mkdirSync(abs, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  // chmod from the outermost created folder down to `dir`
  const created: string[] = [];
  for (let d = abs; ; d = path.dirname(d)) {
    created.push(d);
    if (d === first || path.dirname(d) === d) break;
  }
  for (const d of created.reverse()) fs.chmodSync(d, PRIVATE_DIR_MODE);
}

/** writeFileSync, but the file is created 0600 and an existing file is set to 0600 (`flag` as writeFileSync's). */
export function writePrivateFile(file: string, data: string | NodeJS.ArrayBufferView, opts: { mode?: number; flag?: string } = {}): void {
  const mode = opts.mode ?? PRIVATE_FILE_MODE;
  fs.writeFileSync(file, data, { mode, flag: opts.flag ?? 'w' });
  fs.chmodSync(file, mode);
}

/** appendFileSync, with the file created 0600 when it is new. */
export function appendPrivateFile(file: string, data: string): void {
  const isNew = !fs.existsSync(file);
  fs.appendFileSync(file, data, { mode: PRIVATE_FILE_MODE });
  if (isNew) fs.chmodSync(file, PRIVATE_FILE_MODE);
}

/** Sets an existing file or folder to exactly the private mode; false when it is missing or not ours to change. */
export function makePrivate(p: string, mode?: number): boolean {
  try {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink() || !ownedByUs(st)) return false;
    fs.chmodSync(p, mode ?? (st.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE));
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes group and other permissions from `root` and everything under it that this user owns (files
 * written by the Python worker, projects made before modes were set at creation). Symbolic links are
 * neither followed nor changed: a run may link to a shared model folder that is not ours to tighten.
 * The owner's own bits are kept (a launch script stays executable). Returns how many entries changed.
 */
export function tightenTree(root: string): number {
  let changed = 0;
  const visit = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return;
    }
    if (st.isSymbolicLink()) return;
    if (ownedByUs(st) && (st.mode & 0o077) !== 0) {
      try {
        fs.chmodSync(p, st.isDirectory() ? PRIVATE_DIR_MODE : st.mode & 0o700);
        changed++;
      } catch {
        // a read-only disk or a file we cannot change: leave it, opening must not fail for this
      }
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = fs.readdirSync(p);
      } catch {
        return;
      }
      for (const n of names) visit(path.join(p, n));
    }
  };
  visit(path.resolve(root));
  return changed;
}

/** True when the group/other bits of `p` are all clear (or `p` is missing). */
export function isPrivate(p: string): boolean {
  try {
    return (fs.lstatSync(p).mode & 0o077) === 0;
  } catch {
    return true;
  }
}

function ownedByUs(st: fs.Stats): boolean {
  // Windows has no uid; root may chmod anything, but only files it owns are "ours" to tighten.
  return typeof process.getuid !== 'function' || st.uid === process.getuid();
}
