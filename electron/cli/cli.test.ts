import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-cli-'));
const env = { DISTILLERY_CONFIG_DIR: path.join(tmp, 'config') };
/** The real command, as a user runs it: `npx distillery …` is `node bin/distillery.mjs …`. */
const cli = (...args: string[]) => execa(process.execPath, [path.join(root, 'bin', 'distillery.mjs'), ...args], { reject: false, env, cwd: tmp });

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// Each case starts a real Node process with tsx; on a loaded two-core machine that can take seconds.
describe('distillery CLI', { timeout: 180_000 }, () => {
  it('prints its version and a help listing every command', async () => {
    const v = await cli('--version');
    expect(v.exitCode).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+$/);
    const h = await cli('--help');
    for (const c of ['serve', 'project create', 'project sample', 'project info', 'check']) expect(h.stdout).toContain(c);
    expect(h.stdout).toContain('--port');
  });

  it('creates the sample project and reports its counts as JSON', async () => {
    const dir = path.join(tmp, 'sample');
    expect((await cli('project', 'sample', dir)).exitCode).toBe(0);
    const info = await cli('project', 'info', dir, '--json');
    expect(info.exitCode).toBe(0);
    const j = JSON.parse(info.stdout);
    expect(Object.keys(j).sort()).toEqual(['accepted', 'domains', 'name', 'path', 'questions', 'selected', 'traces'].sort());
    expect(j.questions).toBeGreaterThanOrEqual(300);
    expect(Object.keys(j.domains).length).toBeGreaterThanOrEqual(8);
    expect(j).toMatchObject({ path: dir, traces: 0, selected: 0, accepted: 0 });
  });

  it('creates an empty project with a name', async () => {
    const dir = path.join(tmp, 'empty');
    expect((await cli('project', 'create', dir, '--name', 'Tax law')).exitCode).toBe(0);
    const j = JSON.parse((await cli('project', 'info', dir, '--json')).stdout);
    expect(j).toMatchObject({ name: 'Tax law', questions: 0, domains: {} });
  });

  it('answers bad arguments and paths with one line and exit code 2', async () => {
    const cases = [
      ['project', 'info', path.join(tmp, 'missing'), '--json'],
      ['project', 'info', tmp],
      ['project', 'info'],
      ['project', 'frobnicate'],
      ['project', 'info', tmp, '--bogus'],
      ['nonsense'],
      ['serve', '--port', 'abc'],
    ];
    const results = await Promise.all(cases.map((args) => cli(...args)));
    for (const [i, args] of cases.entries()) {
      const r = results[i] as Awaited<ReturnType<typeof cli>>;
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });

  it('serve prints the URL line and answers health with the token', async () => {
    const renderer = path.join(tmp, 'renderer');
    fs.mkdirSync(renderer, { recursive: true });
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
    const p = execa(process.execPath, [path.join(root, 'bin', 'distillery.mjs'), 'serve', '--port', '0'], { env: { ...env, DISTILLERY_RENDERER_DIR: renderer }, reject: false });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      p.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^Distillery is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/m.exec(out);
        if (m) resolve(m[1] as string);
      });
      setTimeout(() => reject(new Error(`no URL line in: ${out}`)), 150_000);
    });
    const u = new URL(url);
    const ok = await fetch(`${u.origin}/api/health`, { headers: { Authorization: `Bearer ${u.searchParams.get('token')}` } });
    expect(ok.status).toBe(200);
    expect((await fetch(`${u.origin}/api/health`)).status).toBe(401);
    p.kill('SIGTERM');
    const r = await p;
    expect(r.exitCode).toBe(0);
  });
});
