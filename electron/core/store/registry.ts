import fs from 'node:fs';
import path from 'node:path';
import { configDir } from '../util/paths';
import { makePrivate, mkdirPrivate, writePrivateFile } from '../util/private-fs';

export interface RecentProject {
  path: string;
  name: string;
  openedAt: string;
}

const FILE = 'recent-projects.json';
const MAX = 12;

function file(): string {
  return path.join(configDir(), FILE);
}

/** The recent projects, most recent first. A damaged registry reads as empty rather than failing start-up. */
export function listRecent(): RecentProject[] {
  try {
    const data = JSON.parse(fs.readFileSync(file(), 'utf8')) as unknown;
    if (!Array.isArray(data)) return [];
    return data.filter(
      (r): r is RecentProject => typeof r === 'object' && r !== null && typeof (r as RecentProject).path === 'string' && typeof (r as RecentProject).name === 'string',
    );
  } catch {
    return [];
  }
}

export function rememberProject(dir: string, name: string): RecentProject[] {
  const entry: RecentProject = { path: path.resolve(dir), name, openedAt: new Date().toISOString() };
  const list = [entry, ...listRecent().filter((r) => r.path !== entry.path)].slice(0, MAX);
  write(list);
  return list;
}

export function forgetProject(dir: string): RecentProject[] {
  const abs = path.resolve(dir);
  const list = listRecent().filter((r) => r.path !== abs);
  write(list);
  return list;
}

function write(list: RecentProject[]): void {
  // The config folder (recent projects, keys) is the user's only; one an older version made is tightened.
  mkdirPrivate(configDir());
  makePrivate(configDir());
  // Write then rename, so a crash mid-write never leaves a half file behind.
  const tmp = `${file()}.${process.pid}.tmp`;
  writePrivateFile(tmp, JSON.stringify(list, null, 2));
  fs.renameSync(tmp, file());
}
