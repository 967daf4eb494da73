import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Starts the real browser-mode host through the CLI (`distillery serve --port 0`) with a temporary
 * config folder (recent projects) and a temporary HOME (so the sample's default folder is temporary too),
 * and hands the printed URL to the tests in DISTILLERY_URL. Projects are created under DISTILLERY_E2E_ROOT.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-e2e-'));
  const home = path.join(root, 'home');
  const config = path.join(root, 'config');
  const projects = path.join(root, 'projects');
  for (const d of [home, config, projects]) fs.mkdirSync(d, { recursive: true });

  const child = spawn(process.execPath, [path.join(repo, 'bin', 'distillery.mjs'), 'serve', '--port', '0'], {
    cwd: repo,
    env: { ...process.env, HOME: home, USERPROFILE: home, DISTILLERY_CONFIG_DIR: config },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`The host did not print its URL within 120 s.\nstdout: ${out}\nstderr: ${err}`)), 120_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /Distillery is running at (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The host exited with code ${code} before printing its URL.\nstdout: ${out}\nstderr: ${err}`));
    });
  });

  process.env.DISTILLERY_URL = url;
  process.env.DISTILLERY_E2E_ROOT = projects;
  process.env.DISTILLERY_E2E_HOME = home;
  process.env.DISTILLERY_E2E_CONFIG = config;

  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
}
