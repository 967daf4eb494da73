/**
 * npm run bench:review — the review workspace in Chromium (browser mode, the real host and the built
 * renderer), on two generated projects:
 *   - 1,000 samples: filtering the queue (status, domain, search) until the list shows the result (≤ 100 ms);
 *   - 61 long samples: moving to the next sample with a 30,000-token trace (≈120,000 characters) until
 *     Monaco has painted it, p95 over 50 moves (≤ 150 ms); typing in a 100,000-character trace, keydown to
 *     the next painted frame (≤ 16 ms per keystroke). Two baselines typed the same way in the same browser:
 *     Monaco alone (the same options, text and size, the app hidden) — what the editor itself costs — and a
 *     plain <textarea> holding the same text — what Chromium alone costs per keystroke on this machine.
 * Timing is measured inside the page (event timestamps and animation frames), not across the driver. A
 * frame's end is marked by a user-blocking task posted from its animation frame, so a task queued earlier
 * (a save's response) that runs after the frame is drawn is not counted against the keystroke. Frames
 * are drawn as soon as they are ready (no 60 Hz vsync), so a latency is the page's own work: with vsync a
 * keystroke also waits for the next display refresh, 0–16.7 ms by when in the frame it arrives, which no page
 * controls. BENCH_REVIEW_VSYNC=1 keeps vsync, to see that figure.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { baseOptions, TRACE_LANGUAGE, TRACE_MODEL_OPTIONS } from '../renderer/steps/review/monaco/options';

// The page's globals, as far as the timing code run in Chromium below uses them (the Node build has no DOM lib).
interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
}
type Listener = (e: { timeStamp: number }) => void;
declare const document: { querySelector(s: string): PageElement | null; querySelectorAll(s: string): PageElement[] & { length: number } };
declare const window: {
  addEventListener(type: string, f: Listener, o?: boolean | { capture?: boolean; once?: boolean }): void;
  removeEventListener(type: string, f: Listener, capture?: boolean): void;
  __lat?: number[];
  scheduler?: { postTask(f: () => void, o: { priority: 'user-blocking' }): Promise<void> };
  __t0?: number;
  __dt?: number;
};
declare function requestAnimationFrame(f: () => void): number;
declare class MessageChannel {
  port1: { onmessage: (() => void) | null };
  port2: { postMessage(v: unknown): void };
}

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CLI = path.join(repo, 'bin', 'distillery.mjs');
const CHROMIUM = process.env.DISTILLERY_CHROMIUM ?? '/usr/bin/chromium';
const MOVES = 50;
const CACHE = path.join(repo, 'bench', '.cache', 'review-v1');
const THINK_MS = 500; // a fast reviewer's glance between two moves (the neighbours are prefetched, the preview typeset meanwhile)
// BENCH_REVIEW_PROFILE=dir: a CPU profile of the moves and of the typing (dir/moves.cpuprofile, dir/typing.cpuprofile, for
// Chrome DevTools' Performance panel), and the functions with the most self time printed. Profiling slows the page: figures
// of a profiled run are for finding the time, not for the targets.
const PROFILE = process.env.BENCH_REVIEW_PROFILE;
const SETTLE_MS = 2000;
const TYPING_PASSES = 2;
/** The page's own Monaco module (the lazily loaded core chunk), for the page code that reads or makes editors. */
const MONACO_CHUNK = /\/assets\/core-[^/]*\.js$/.source;

if (!fs.existsSync(path.join(repo, 'out', 'renderer', 'index.html'))) throw new Error('The renderer is not built: run "npm run build:renderer" first.');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-bench-review-'));
const env = { ...process.env, HOME: path.join(tmp, 'home'), DISTILLERY_CONFIG_DIR: path.join(tmp, 'config') };
fs.mkdirSync(env.HOME, { recursive: true });
fs.mkdirSync(env.DISTILLERY_CONFIG_DIR, { recursive: true });
const cli = (args: string[]) => execFileSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 600_000 });

let seed = 7;
const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
const STEPS = [
  () => `Wait, let me check $${int(2, 99)}x^2 + ${int(1, 50)}x = ${int(1, 999)}$ again before going on.`,
  () => `Alternatively, factor it: \\((x - ${int(1, 9)})(x + ${int(1, 9)})\\) gives the same roots.`,
  () => `But the discriminant is $$b^2 - 4ac = ${int(1, 400)}$$ so there are two real solutions.`,
  () => `Hmm, ${int(3, 97)} is prime, so the remainder modulo ${int(3, 97)} is ${int(0, 96)}.`,
  () => `So far the partial sum is ${int(10, 9999)}, and the next term adds \\[\\frac{${int(1, 9)}}{${int(2, 19)}}\\].`,
  () => `Let me recount the cases with ${int(2, 9)} elements: there are ${int(10, 500)} of them.`,
];
/** A trace of about `chars` characters: numbered steps of a few sentences with markers and LaTeX. */
function trace(chars: number, label: string): string {
  const out: string[] = [label];
  let n = label.length;
  for (let k = 1; n < chars; k++) {
    const para = [`${k}. Step ${k} of the argument.`, ...Array.from({ length: int(2, 5) }, () => STEPS[int(0, STEPS.length - 1)]!())].join('\n');
    out.push(para);
    n += para.length + 2;
  }
  return out.join('\n\n').slice(0, chars);
}
function writePool(file: string, rows: { q: string; thinking: string; domain: string }[]): void {
  const lines = rows.map((r, i) =>
    JSON.stringify({
      messages: [
        { role: 'user', content: r.q },
        { role: 'assistant', content: `<think>\n${r.thinking}\n</think>\nThe answer is \\boxed{${i % 97}}.` },
      ],
      answer: String(i % 97),
      domain: r.domain,
    }),
  );
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

/** A generated project, kept in bench/.cache between runs (the runs do not change what is measured). */
function project(name: string, rows: () => { q: string; thinking: string; domain: string }[]): string {
  const dir = path.join(CACHE, name);
  if (fs.existsSync(path.join(dir, '.bench-complete'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const file = path.join(tmp, `${name}.jsonl`);
  cli(['project', 'create', dir, '--name', name]);
  writePool(file, rows());
  cli(['import', dir, file, '--json']);
  fs.writeFileSync(path.join(dir, '.bench-complete'), '');
  return dir;
}

const t0 = performance.now();
const DOMAINS = Array.from({ length: 10 }, (_, i) => `domain-${i}`);
const big = project('queue-1000', () =>
  Array.from({ length: 1000 }, (_, i) => ({ q: `Problem ${i}: find the remainder of ${i}^${i % 13} modulo ${(i % 89) + 2}.`, thinking: trace(int(1500, 6000), `Sample ${i}:`), domain: DOMAINS[i % 10]! })),
);
cli(['review', big, '--set', 'accepted', '--ids', Array.from({ length: 300 }, (_, i) => 1 + 3 * i).join(',')]);
cli(['review', big, '--set', 'rejected', '--ids', Array.from({ length: 100 }, (_, i) => 2 + 3 * i).join(',')]);
const long = project('long-traces', () => [
  { q: 'Typing target: a 100,000-character trace.', thinking: trace(100_000, 'Sample 0:'), domain: 'long' },
  ...Array.from({ length: MOVES + 10 }, (_, i) => ({ q: `Long problem ${i + 1}.`, thinking: trace(120_000, `Sample ${i + 1}:`), domain: 'long' })),
]);
console.log(`projects ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (${CACHE}): 1,000 samples; ${MOVES + 11} long samples (≈30,000 tokens = 120,000 characters each; one of 100,000)`);

// The real browser-mode host, as `distillery serve` prints it.
const host = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error(`the host printed no URL within 120 s: ${out}`)), 120_000);
  host.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    const m = /Distillery is running at (\S+)/.exec(out);
    if (m?.[1]) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  host.once('exit', (c) => reject(new Error(`the host exited (${c}): ${out}`)));
});
const origin = new URL(url).origin;
const token = new URL(url).searchParams.get('token') ?? '';
async function openProject(dir: string): Promise<void> {
  const r = await fetch(`${origin}/api/trpc/project.open`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ dir }) });
  if (!r.ok) throw new Error(`project.open: ${r.status} ${await r.text()}`);
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  return { n: s.length, p50: q(0.5), p95: q(0.95), max: s[s.length - 1]!, mean: s.reduce((a, b) => a + b, 0) / s.length };
};
const fmt = (x: ReturnType<typeof stats>) => `p50 ${x.p50.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms, max ${x.max.toFixed(1)} ms (n=${x.n})`;
const verdict = (v: number, target: number) => (v <= target ? 'OK' : 'MISSED');

const VSYNC = process.env.BENCH_REVIEW_VSYNC === '1';
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', ...(VSYNC ? [] : ['--disable-frame-rate-limit', '--disable-gpu-vsync'])],
});
console.log(`frames: ${VSYNC ? 'at the display rate (60 Hz vsync): latencies include the wait for the next refresh' : 'drawn when ready (--disable-frame-rate-limit --disable-gpu-vsync): latencies are the page\'s own work'}`);
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  // tsx (esbuild) keeps function names with a __name() helper that the page does not have.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await openProject(big);
  await page.goto(`${url}#/review`);
  await page.getByTestId('thinking-editor').locator('.view-line').first().waitFor();

  // 1. Filtering the 1,000-sample queue: a filter change until the list shows the new count and its first rows (next frame).
  const filterMs: number[] = [];
  const changes: { testId: string; value: string; expect: number }[] = [];
  for (let round = 0; round < 3; round++) {
    for (const d of DOMAINS) changes.push({ testId: 'filter-domain', value: d, expect: 100 }, { testId: 'filter-domain', value: '', expect: 1000 });
    changes.push({ testId: 'filter-status', value: 'accepted', expect: 300 }, { testId: 'filter-status', value: 'rejected', expect: 100 }, { testId: 'filter-status', value: 'todo', expect: 600 }, { testId: 'filter-status', value: '', expect: 1000 });
    changes.push({ testId: 'filter-search', value: 'Problem 12', expect: 11 }, { testId: 'filter-search', value: '', expect: 1000 });
  }
  for (const c of changes) filterMs.push(await timeFilter(page, c.testId, c.value, c.expect));
  const filter = stats(filterMs);
  // Baseline: the same queries straight to the engine over HTTP (what the list waits for), from Node.
  const apiMs: number[] = [];
  for (const c of changes) {
    const key = { 'filter-domain': 'domain', 'filter-status': 'status', 'filter-search': 'search' }[c.testId]!;
    const input = encodeURIComponent(JSON.stringify(c.value ? { [key]: c.value, limit: 500 } : { limit: 500 }));
    const a = performance.now();
    const r = await fetch(`${origin}/api/trpc/review.queue?input=${input}`, { headers: { Authorization: `Bearer ${token}` } });
    await r.json();
    apiMs.push(performance.now() - a);
  }
  console.log(`  baseline: review.queue over HTTP for the same ${changes.length} filters, no rendering: ${fmt(stats(apiMs))}`);
  console.log(`filtering the 1,000-sample queue (${changes.length} changes of status, domain and search): ${fmt(filter)} (target p95 ≤ 100 ms) ${verdict(filter.p95, 100)}`);
  failed ||= filter.p95 > 100;

  // 2. Next sample with a 30,000-token trace, until Monaco painted its first line.
  await openProject(long);
  await page.goto(`${url}#/review`);
  await page.getByTestId('thinking-editor').locator('.view-line', { hasText: 'Sample 0:' }).waitFor();
  await page.getByRole('heading', { level: 1 }).click();
  await page.waitForTimeout(1500);
  const moveMs: number[] = [];
  const stopMoves = await profile(page, 'moves');
  for (let i = 1; i <= MOVES; i++) {
    moveMs.push(
      await timeMove(page, `Sample ${i}:`).catch(async (e: unknown) => {
        await page.screenshot({ path: path.join(os.tmpdir(), 'bench-review-move.png') });
        throw e;
      }),
    );
    await page.waitForTimeout(THINK_MS);
  }
  await stopMoves();
  const move = stats(moveMs);
  console.log(`next sample (J) with a 30,000-token trace, keydown to the painted editor, ${MOVES} moves ${THINK_MS} ms apart: ${fmt(move)} (target p95 ≤ 150 ms) ${verdict(move.p95, 150)}`);
  failed ||= move.p95 > 150;

  // 3. Typing in the 100,000-character trace: keydown to the next painted frame.
  await page.getByTestId('filter-search').fill('Typing target');
  await page.locator('[data-testid="queue-row"][data-trace]').first().click();
  await page.getByTestId('thinking-editor').locator('.view-line', { hasText: 'Sample 0:' }).waitFor();
  const traceId = await page.getByTestId('sample').getAttribute('data-trace');
  await page.getByTestId('thinking-editor').locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  // The reviewer reads before typing: meanwhile Monaco tokenizes the rest of the trace in idle time and the preview is typeset.
  await page.waitForTimeout(SETTLE_MS);
  const original = await thinkingText(page);
  await watchKeys(page);
  // A sentence typed four times at the end of a short paragraph, then of a long one (typePasses).
  const text = ' Wait, the reviewer adds $x^2 + 1$ here and checks it again. '.repeat(4);
  const stopTyping = await profile(page, 'typing');
  await typePasses(page, text);
  await stopTyping();
  const typing = stats(await page.evaluate(() => window.__lat ?? []));
  const saved = await page.getByTestId('save-state').getAttribute('data-state');
  console.log(`typing in a 100,000-character trace (trace #${traceId}, ${text.length} keystrokes in a short paragraph and ${text.length} in a long one, autosave on: ${saved}): ${fmt(typing)} (target p95 ≤ 16 ms) ${verdict(typing.p95, 16)}`);
  failed ||= typing.p95 > 16;

  // Baseline 1: Monaco alone — the app hidden, one editor with the review's options, the same text and size.
  const bare = await bareMonaco(page, text, original);
  console.log(`  baseline: Monaco alone (the same options, text and size; the app hidden), the same keystrokes: ${fmt(bare)}; the review workspace / Monaco alone: p50 ${(typing.p50 / bare.p50).toFixed(2)}, p95 ${(typing.p95 / bare.p95).toFixed(2)}`);

  // Baseline: the same text in a plain <textarea>, the same keystrokes, the same browser.
  const base = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await base.setContent('<textarea id="t" style="width:760px;height:900px;font:13px/20px monospace"></textarea>');
  await base.evaluate((n) => {
    const t = document.querySelector('#t') as unknown as { value: string };
    const line = 'Wait, let me check $3x^2 + 5x = 17$ again before going on. Alternatively, factor it.\n';
    t.value = line.repeat(Math.ceil(n / line.length)).slice(0, n);
  }, 100_000);
  await base.click('#t');
  await base.keyboard.press('Control+End');
  await watchKeys(base);
  await typePasses(base, text);
  const plain = stats(await base.evaluate(() => window.__lat ?? []));
  console.log(`  baseline: a plain <textarea> holding 100,000 characters, the same keystrokes: ${fmt(plain)}; the review workspace / textarea: p50 ${(typing.p50 / plain.p50).toFixed(2)}, p95 ${(typing.p95 / plain.p95).toFixed(2)}`);
  await base.close();
} finally {
  await browser.close();
  host.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;

/** Records, for every keydown, the time from its timestamp to the end of the next frame (rAF, then a task after it). */
async function watchKeys(page: Page): Promise<void> {
  await page.evaluate(() => {
    const lat: number[] = [];
    window.__lat = lat;
    window.addEventListener(
      'keydown',
      (e) => {
        const t = e.timeStamp;
        requestAnimationFrame(() => {
          // The first task after this frame: user-blocking runs ahead of tasks queued before it. (No named
          // functions in page code: tsx wraps them in a __name() helper that a page without the init script lacks.)
          if (window.scheduler) return void window.scheduler.postTask(() => lat.push(performance.now() - t), { priority: 'user-blocking' });
          const ch = new MessageChannel();
          ch.port1.onmessage = () => lat.push(performance.now() - t);
          ch.port2.postMessage(0);
        });
      },
      true,
    );
  });
}

/**
 * Types `text` TYPING_PASSES times: first at the end of the trace's last paragraph (≈300 characters when done,
 * 4 wrapped lines), then at the end of a new long paragraph (two Enters, measured like any key, and ≈1,100
 * characters pasted at once, not measured: ≈1,350 when done, ≈17 wrapped lines). R1-style traces have both.
 */
async function typePasses(page: Page, text: string): Promise<void> {
  for (let pass = 0; pass < TYPING_PASSES; pass++) {
    if (pass > 0) {
      for (let i = 0; i < 2; i++) await page.keyboard.press('Enter', { delay: 35 });
      await page.keyboard.insertText(`Wait, ${'the reviewer checks every term of this sum once more, '.repeat(20)}`);
      await page.waitForTimeout(500);
    }
    await page.keyboard.type(text, { delay: 35 });
    await page.waitForTimeout(1000);
  }
}

/**
 * The thinking editor's text as the page holds it, read through the page's own Monaco module (the lazily
 * loaded core chunk), which is kept on the page as `__monaco` for bareMonaco.
 */
async function thinkingText(page: Page): Promise<string> {
  return page.evaluate(async (chunk) => {
    const w = window as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the page's Monaco, untyped here
    const url = (w.performance.getEntriesByType('resource') as { name: string }[]).map((r) => r.name).find((n) => new RegExp(chunk).test(n));
    if (!url) throw new Error("the page's Monaco module was not found among its resources");
    w.__monaco = await import(url);
    const app = w.__monaco.editor.getEditors().find((e: any) => (e.getModel()?.getValueLength() ?? 0) > 50_000); // eslint-disable-line @typescript-eslint/no-explicit-any
    return app.getModel().getValue() as string;
  }, MONACO_CHUNK);
}

/**
 * Types `text` as typePasses does into Monaco alone, in the same page: the app is hidden (display: none, so it
 * neither lays out nor paints) and one editor is created over where the thinking editor was, with the
 * review's editor and model options, the trace language and `value` (the page's Monaco, from thinkingText).
 */
async function bareMonaco(page: Page, text: string, value: string): Promise<ReturnType<typeof stats>> {
  const box = await page.getByTestId('thinking-editor').boundingBox();
  if (!box) throw new Error('the thinking editor is not on the page');
  await page.evaluate(
    ({ box, options, modelOptions, language, value }) => {
      const w = window as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the page's Monaco, untyped here
      const d = w.document;
      d.getElementById('root').style.display = 'none';
      const host = d.createElement('div');
      host.id = 'bench-bare';
      host.style.cssText = `position:fixed;left:${box.x}px;top:${box.y}px;width:${box.width}px;height:${box.height}px`;
      d.body.appendChild(host);
      const model = w.__monaco.editor.createModel(value, language);
      model.updateOptions(modelOptions);
      w.__monaco.editor.create(host, { ...options, model });
    },
    { box, options: baseOptions(), modelOptions: TRACE_MODEL_OPTIONS, language: TRACE_LANGUAGE, value },
  );
  await page.locator('#bench-bare .view-lines').click();
  await page.keyboard.press('Control+End');
  await page.waitForTimeout(SETTLE_MS);
  await page.evaluate(() => (window.__lat!.length = 0));
  await typePasses(page, text);
  return stats(await page.evaluate(() => window.__lat ?? []));
}

/** Starts a CPU profile of the page when BENCH_REVIEW_PROFILE is set; the function returned stops it, saves it and prints its top functions. */
async function profile(page: Page, name: string): Promise<() => Promise<void>> {
  if (!PROFILE) return async () => undefined;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return async () => {
    const { profile: p } = await cdp.send('Profiler.stop');
    fs.mkdirSync(PROFILE, { recursive: true });
    fs.writeFileSync(path.join(PROFILE, `${name}.cpuprofile`), JSON.stringify(p));
    const self = new Map<string, number>();
    const dt = new Map<number, number>();
    (p.samples ?? []).forEach((id, k) => dt.set(id, (dt.get(id) ?? 0) + (p.timeDeltas?.[k] ?? 0) / 1000));
    for (const n of p.nodes) {
      const f = n.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + (dt.get(n.id) ?? 0));
    }
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    console.log(`  profile ${name}: ${total.toFixed(0)} ms sampled; most self time:`);
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`    ${v.toFixed(1).padStart(8)} ms  ${k}`);
    await cdp.detach();
  };
}

/**
 * Arms an in-page watch: from the next event of `events` (its timestamp) until `ready()` holds, then the
 * frame after it is painted. The figures never include the driver's round trips.
 */
type Ready = { kind: 'filter'; expect: number } | { kind: 'move'; label: string };
async function arm(page: Page, events: string[], ready: Ready): Promise<void> {
  await page.evaluate(
    ({ events, ready }) => {
      // (No eval here: the app's CSP forbids it, and rightly so.)
      const isReady = (): boolean =>
        ready.kind === 'filter'
          ? document.querySelector('[data-testid="queue-filtered"]')?.getAttribute('data-count') === String(ready.expect) &&
            document.querySelectorAll('[data-testid="queue-row"][data-trace]').length >= Math.min(ready.expect, 5)
          : [...document.querySelectorAll('[data-testid="thinking-editor"] .view-line')].some((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').startsWith(ready.label));
      window.__t0 = 0;
      window.__dt = 0;
      const on = (e: { timeStamp: number }) => {
        window.__t0 = e.timeStamp;
        for (const ev of events) window.removeEventListener(ev, on, true);
        const check = () => {
          if (!isReady()) return void requestAnimationFrame(check);
          const ch = new MessageChannel();
          ch.port1.onmessage = () => (window.__dt = performance.now() - (window.__t0 ?? 0));
          ch.port2.postMessage(0);
        };
        requestAnimationFrame(check);
      };
      for (const ev of events) window.addEventListener(ev, on, true);
    },
    { events, ready },
  );
}

async function measured(page: Page, what: string): Promise<number> {
  const h = await page.waitForFunction(() => window.__dt || 0, undefined, { timeout: 30_000, polling: 50 }).catch(() => {
    throw new Error(`${what}: never shown`);
  });
  return (await h.jsonValue()) as number;
}

/** Sets a filter as the user would; from its input / change event until the list shows `expect` rows. */
async function timeFilter(page: Page, testId: string, value: string, expect: number): Promise<number> {
  await arm(page, ['input', 'change'], { kind: 'filter', expect });
  const el = page.getByTestId(testId);
  if (testId === 'filter-search') await el.fill(value);
  else await el.selectOption(value);
  return measured(page, `${testId}=${value}`);
}

/** Presses J (a real key press); from its keydown until the thinking editor has painted the next sample's first line. */
async function timeMove(page: Page, label: string): Promise<number> {
  await arm(page, ['keydown'], { kind: 'move', label });
  await page.keyboard.press('j');
  return measured(page, label);
}
