import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../util/errors';
import { looksLikeProject } from '../store/project';

export interface FolderEntry {
  name: string;
  path: string;
  isProject: boolean;
  /** Present when files were asked for: true for a file, false for a folder. */
  isFile?: boolean;
  size?: number;
}

export interface FolderListing {
  path: string;
  parent: string | null;
  isProject: boolean;
  entries: FolderEntry[];
}

export interface ListOptions {
  /** Also list files, optionally only those whose name ends with one of these (".jsonl", ".csv.gz"). */
  files?: boolean;
  extensions?: string[];
}

/** Lists the sub-folders (and, when asked, the files) of `dir`: the server-side browser of browser mode. */
export function listFolder(dir?: string, opts: ListOptions = {}): FolderListing {
  if (dir?.includes('\0')) throw new UserError('A folder path cannot contain a NUL character; type the path again.', 'bad_path');
  const abs = path.resolve(dir && dir.trim() ? dir : os.homedir());
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(abs, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`The folder ${abs} does not exist.`, 'not_found');
    if (code === 'ENOTDIR') throw new UserError(`${abs} is a file, not a folder.`, 'not_a_folder');
    if (code === 'EACCES' || code === 'EPERM') throw new UserError(`Distillery may not read ${abs}; choose another folder.`, 'forbidden');
    throw e;
  }
  const folders: FolderEntry[] = names
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => ({ name: d.name, path: path.join(abs, d.name), isProject: looksLikeProject(path.join(abs, d.name)), ...(opts.files ? { isFile: false } : {}) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const exts = (opts.extensions ?? []).map((e) => e.toLowerCase());
  const files: FolderEntry[] = opts.files
    ? names
        .filter((d) => d.isFile() && !d.name.startsWith('.') && (exts.length === 0 || exts.some((e) => d.name.toLowerCase().endsWith(e))))
        .map((d) => {
          const p = path.join(abs, d.name);
          let size = 0;
          try {
            size = fs.statSync(p).size;
          } catch {
            // vanished or unreadable: still listed, size unknown
          }
          return { name: d.name, path: p, isProject: false, isFile: true, size };
        })
        .sort((a, b) => a.name.localeCompare(b.name))
    : [];
  const entries = [...folders, ...files].slice(0, 5000);
  const parent = path.dirname(abs);
  return { path: abs, parent: parent === abs ? null : parent, isProject: looksLikeProject(abs), entries };
}
