import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleProject } from '../core/sample';
import { makeCases, type FuzzCase } from './testing/fuzz-cases';

/**
 * Fuzzes a REAL `distillery serve` child process with thousands of random raw requests, with and without
 * the token, and checks that it is still alive and healthy afterwards: any web page can make the browser
 * send a request to 127.0.0.1, so one malformed request must never end the server (and its running jobs).
 * DISTILLERY_FUZZ_SEED reproduces a run; the seed is printed either way.
 */
const repo = path.resolve(import.meta.dirname, '..', '..');
const SEED = Number(process.env.DISTILLERY_FUZZ_SEED) || Math.floor(Math.random() * 2 ** 31);
const COUNT = Number(process.env.DISTILLERY_FUZZ_COUNT) || 3000;
/** A bound on the run, not an assertion: on a slow machine fewer cases run and the test still checks health. */
const BUDGET_MS = 25_000;
/** A request the server keeps waiting on (a short body, an SSE subscription) is dropped by the client after this. */
const PER_REQUEST_MS = 1_500;
const PARALLEL = 16;

let root: string;
let child: ChildProcess;
let port: number;
let token: string;
let stderr = '';
let exited: string | null = null;

function startServe(): Promise<string> {
  const home = path.join(root, 'home');
  const config = path.join(root, 'config');
  const renderer = path.join(root, 'renderer');
  const cwd = path.join(root, 'cwd');
  for (const d of [home, config, path.join(renderer, 'assets'), cwd]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Distillery</title>');
  fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  const sample = path.join(root, 'sample');
  createSampleProject(sample).close();
  // cwd in the temporary folder: a relative path in a random request resolves there, never in the repo.
  child = spawn(process.execPath, [path.join(repo, 'bin', 'distillery.mjs'), 'serve', '--port', '0', '--project', sample], {
    cwd,
    env: { ...process.env, HOME: home, USERPROFILE: home, DISTILLERY_CONFIG_DIR: config, DISTILLERY_RENDERER_DIR: renderer },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-20_000);
  });
  child.once('exit', (code, signal) => {
    exited = `code ${code}, signal ${signal}`;
  });
  return new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /Distillery is running at (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with code ${code} before printing its URL.\nstdout: ${out}\nstderr: ${stderr}`)));
  });
}

/** Writes the raw bytes and collects whatever comes back until the server closes or the client gives up. */
function send(c: FuzzCase): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, PER_REQUEST_MS);
    socket.on('data', (b: Buffer) => chunks.push(b));
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => socket.end(c.bytes));
  });
}

function health(): Promise<number> {
  return fetch(`http://127.0.0.1:${port}/api/health`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-fuzz-'));
  const url = new URL(await startServe());
  port = Number(url.port);
  token = url.searchParams.get('token') ?? '';
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  }
  fs.rmSync(root, { recursive: true, force: true });
});

describe('browser mode under random requests', () => {
  it('survives thousands of malformed requests and still answers /api/health', async () => {
    console.log(`fuzz seed ${SEED} (rerun with DISTILLERY_FUZZ_SEED=${SEED})`);
    const cases = makeCases(SEED, COUNT, { port, token });
    const deadline = Date.now() + BUDGET_MS;
    const statuses = new Map<string, number>();
    const leaks: string[] = [];
    const inFlight = new Set<string>();
    let next = 0;
    let sent = 0;

    const worker = async () => {
      while (next < cases.length && Date.now() < deadline && exited === null) {
        const c = cases[next++] as FuzzCase;
        inFlight.add(c.label);
        const reply = await send(c);
        inFlight.delete(c.label);
        sent++;
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(reply)?.[1] ?? 'none';
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        // No response may show where the code lives: stack frames or the checkout's path.
        if (reply.includes(repo) || /\bat .+:\d+:\d+\)?/.test(reply) || reply.includes('node_modules')) leaks.push(`${c.label}\n${reply.slice(0, 600)}`);
      }
    };
    let lastInFlight: string[] = [];
    const watcher = setInterval(() => {
      if (exited === null) lastInFlight = [...inFlight];
    }, 5);
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    clearInterval(watcher);

    console.log(`fuzz sent ${sent} of ${cases.length} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    expect(exited, `serve died (seed ${SEED}); in flight: \n${lastInFlight.join('\n')}\nstderr:\n${stderr.slice(-3000)}`).toBeNull();
    expect(leaks.slice(0, 3), `responses leaked source paths or stack traces (seed ${SEED})`).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(Math.min(cases.length, 200));
    expect(await health()).toBe(200);
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBeNull();
  }, 90_000);
});
