import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The folder holding Distillery's package.json (the repo in development, the app folder when packaged). */
export function appRoot(): string {
  if (cached) return cached;
  if (process.env.DISTILLERY_APP_ROOT) return (cached = path.resolve(process.env.DISTILLERY_APP_ROOT));
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        if ((JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string }).name === 'distillery') return (cached = dir);
      } catch {
        // keep looking upward
      }
    }
    dir = path.dirname(dir);
  }
  return (cached = process.cwd());
}

export function appVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
