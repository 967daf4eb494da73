#!/usr/bin/env node
// npm run screenshots — every wizard step, in English and Chinese, light and dark, at 1280×800, on the
// sample project, through the real browser-mode host and Debian's Chromium. For a reviewer to look at:
// the PNGs land in screenshots/ (or $SCREENSHOTS_DIR), named STEP-LANG-THEME.png, with an index.html.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(process.env.SCREENSHOTS_DIR ?? path.join(repo, 'screenshots'));
const STEPS = ['project', 'teacher', 'questions', 'traces', 'curate', 'review', 'train', 'evaluate'];
const LANGS = ['en', 'zh-CN'];
const THEMES = ['light', 'dark'];

async function serve(env) {
  const child = spawn(process.execPath, [path.join(repo, 'bin', 'distillery.mjs'), 'serve', '--port', '0'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (b) => {
      buf += b.toString();
      const m = /Distillery is running at (\S+)/.exec(buf);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { child, url };
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-shots-'));
  const env = { ...process.env, HOME: tmp, DISTILLERY_CONFIG_DIR: path.join(tmp, 'config') };
  const { child, url } = await serve(env);
  const browser = await chromium.launch({
    executablePath: process.env.DISTILLERY_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const shots = [];
  try {
    const u = new URL(url);
    const token = u.searchParams.get('token');
    const res = await fetch(`${u.origin}/api/trpc/project.sample`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ dir: path.join(tmp, 'sample') }) });
    if (!res.ok) throw new Error(`Could not create the sample project: ${res.status} ${await res.text()}`);
    fs.mkdirSync(out, { recursive: true });
    for (const lang of LANGS) {
      for (const theme of THEMES) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: lang === 'en' ? 'en-US' : 'zh-CN', colorScheme: theme });
        await context.addInitScript(
          ([l, th]) => {
            localStorage.setItem('distillery.language', l);
            localStorage.setItem('distillery.theme', th);
          },
          [lang, theme],
        );
        const page = await context.newPage();
        await page.goto(url);
        for (const step of STEPS) {
          await page.locator(`a[data-step="${step}"]`).click();
          await page.locator(`main[data-step="${step}"]`).waitFor();
          await page.waitForLoadState('networkidle').catch(() => undefined);
          await page.waitForTimeout(400);
          const file = `${step}-${lang}-${theme}.png`;
          await page.screenshot({ path: path.join(out, file) });
          shots.push(file);
          process.stdout.write(`${file}\n`);
        }
        await context.close();
      }
    }
    const html = `<!doctype html><meta charset="utf-8"><title>Distillery screenshots</title><style>body{font:14px system-ui;margin:2rem}figure{display:inline-block;margin:0 1rem 1rem 0}img{width:480px;border:1px solid #ccc}</style>${shots.map((f) => `<figure><img src="${f}"><figcaption>${f}</figcaption></figure>`).join('\n')}`;
    fs.writeFileSync(path.join(out, 'index.html'), html);
    console.log(`${shots.length} screenshots in ${out} (open index.html).`);
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
