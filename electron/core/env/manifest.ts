/**
 * The offline bundle's manifest: every file under the bundle with its SHA-256 and size, so that the copy that
 * arrives on the air-gapped machine can be checked file by file before anything is installed from it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const MANIFEST = 'manifest.json';

export interface BundleManifest {
  format: 'distillery-offline-bundle/1';
  created: string;
  app_version: string;
  platform: string;
  cuda: boolean;
  /** What the bundle holds, in words, for the person carrying it. */
  contents: Record<string, string>;
  files: Record<string, { sha256: string; bytes: number }>;
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(file)
      .on('data', (b) => h.update(b))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** Files under `root`, relative, with / separators, sorted; the manifest itself left out. Links are not followed. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() || e.isSymbolicLink()) out.push(path.relative(root, p).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.filter((f) => f !== MANIFEST).sort();
}

export async function hashTree(root: string): Promise<BundleManifest['files']> {
  const files: BundleManifest['files'] = {};
  for (const f of listFiles(root)) {
    const abs = path.join(root, f);
    files[f] = { sha256: await sha256File(abs), bytes: fs.statSync(abs).size };
  }
  return files;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  missing: string[];
  altered: string[];
  /** Files the manifest does not list: not harmful by themselves, but not what was packed either. */
  unexpected: string[];
  error: string | null;
}

export async function verifyBundle(dir: string): Promise<VerifyResult> {
  const none = { checked: 0, missing: [], altered: [], unexpected: [] };
  let m: BundleManifest;
  try {
    m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as BundleManifest;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : 'is not valid JSON';
    return { ok: false, ...none, error: `${path.join(dir, MANIFEST)} ${why}: this is not a complete offline bundle; copy the whole bundle folder again.` };
  }
  if (m.format !== 'distillery-offline-bundle/1' || !m.files || typeof m.files !== 'object') {
    return { ok: false, ...none, error: `${path.join(dir, MANIFEST)} is not a Distillery offline bundle manifest (format ${String(m.format)}).` };
  }
  const present = new Set(listFiles(dir));
  const missing: string[] = [];
  const altered: string[] = [];
  for (const [f, want] of Object.entries(m.files)) {
    if (!present.has(f)) {
      missing.push(f);
      continue;
    }
    const abs = path.join(dir, f);
    if (fs.statSync(abs).size !== want.bytes || (await sha256File(abs)) !== want.sha256) altered.push(f);
  }
  const unexpected = [...present].filter((f) => !(f in m.files));
  return { ok: !missing.length && !altered.length && !unexpected.length, checked: Object.keys(m.files).length, missing, altered, unexpected, error: null };
}
