import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { startHost } from '../../host/server';
import { configDir } from '../../core/util/paths';
import { appRoot } from '../../core/util/root';
import { intFlag, parse } from '../args';
import { UsageError, type CliIO } from '../io';

export const DEFAULT_PORT = 5917;

/**
 * `--keep-token`: one token kept in the config folder (0600), so that open tabs keep working across a
 * restart of the server. Without it every start makes a new token and old tabs are told theirs is stale.
 */
export function keptToken(): string {
  const file = path.join(configDir(), 'browser-token');
  try {
    const t = fs.readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9_-]{32,}$/.test(t)) return t;
  } catch {
    // Not made yet.
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const t = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${t}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return t;
}

/** The built renderer; built once on first start when missing (a fresh clone straight after `npm ci`). */
export async function ensureRenderer(io: CliIO): Promise<string> {
  const dir = process.env.DISTILLERY_RENDERER_DIR ?? path.join(appRoot(), 'out', 'renderer');
  if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  io.stderr('Building the Distillery interface once (first start)…');
  const vite = path.join(appRoot(), 'node_modules', 'vite', 'bin', 'vite.js');
  await execa(process.execPath, [vite, 'build', '--config', 'vite.config.ts', '--logLevel', 'warn'], { cwd: appRoot(), stdout: 'inherit', stderr: 'inherit' });
  return dir;
}

export async function runServe(args: string[], io: CliIO): Promise<number> {
  const { values } = parse('serve', args, { project: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'keep-token': { type: 'boolean' } }, []);
  const explicitPort = intFlag('serve', 'port', values.port, 0, 65535);
  const host = (values.host) ?? '127.0.0.1';
  const rendererDir = await ensureRenderer(io);
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    io.stderr(`Warning: serving on ${host}: anyone who can reach this machine and has the token can use Distillery and read its projects.`);
  }
  const options = { host, rendererDir, projectDir: values.project, token: values['keep-token'] ? keptToken() : undefined };
  let running;
  try {
    running = await startHost({ ...options, port: explicitPort ?? DEFAULT_PORT });
  } catch (e) {
    // Without --port, a busy default port is not an error: take any free one.
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    if (explicitPort !== undefined) {
      throw new UsageError(`serve: port ${explicitPort} on ${host} is already in use (another Distillery or another program); choose another with --port N, or --port 0 for any free port.`);
    }
    running = await startHost({ ...options, port: 0 });
  }
  io.stdout(`Distillery is running at ${running.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  return 0;
}
