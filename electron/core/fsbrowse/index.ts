import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../util/errors';
import { looksLikeProject } from '../store/project';

export interface FolderEntry {
  name: string;
  path: string;
  isProject: boolean;
}

export interface FolderListing {
  path: string;
  parent: string | null;
  isProject: boolean;
  entries: FolderEntry[];
}

/** Lists the sub-folders of `dir`: the server-side folder browser of browser mode. */
export function listFolder(dir?: string): FolderListing {
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
  const entries = names
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => ({ name: d.name, path: path.join(abs, d.name), isProject: looksLikeProject(path.join(abs, d.name)) }))
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, 2000);
  const parent = path.dirname(abs);
  return { path: abs, parent: parent === abs ? null : parent, isProject: looksLikeProject(abs), entries };
}
