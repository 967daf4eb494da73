import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

const CLI = path.resolve('bin/distillery.mjs');
export const PYTHON = path.resolve('.venv', 'bin', 'python');
// The worker's tiny random Qwen2 model, built once per machine (the vitest suite shares the cache).
export const TINY_MODEL = process.env.DISTILLERY_TINY_MODEL ?? path.join(os.tmpdir(), 'distillery-tiny-qwen2-v2');

export function buildTinyModel(): void {
  if (fs.existsSync(path.join(TINY_MODEL, 'model.safetensors')) && fs.existsSync(path.join(TINY_MODEL, 'tokenizer.json'))) return;
  const tmp = `${TINY_MODEL}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  execFileSync(PYTHON, ['-m', 'distillery_worker', 'tiny-model', '--out', tmp], { env: { ...process.env, HF_HUB_OFFLINE: '1' }, stdio: 'ignore', timeout: 600_000 });
  try {
    fs.renameSync(tmp, TINY_MODEL);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
const DOMAINS = ['algebra', 'geometry', 'number theory'];

/** A trace with thinking boundaries, step markers and all four LaTeX delimiters. */
export function thinking(i: number, a: number, b: number): string {
  return [
    `We need $${a} + ${b}$ for problem ${i}.`,
    '1. Write the sum as \\(a + b\\) with the values above.',
    `   So the sum is ${a + b}.`,
    'Wait, check the order of the terms.',
    '   Addition commutes, so the order does not matter.',
    `Step 2: confirm with $$${a} + ${b} = ${a + b}$$`,
    `Alternatively, count up from ${a} by ${b}.`,
    `   \\[${a} + ${b} = ${a + b}\\]`,
    'Hmm, both ways agree.',
  ].join('\n');
}

/** `n` ShareGPT conversations whose assistant turns hold <think>…</think> and a \boxed{} answer. */
export function writePool(file: string, n: number): void {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = 3 + i;
    const b = 7 + 2 * i;
    lines.push(
      JSON.stringify({
        messages: [
          { role: 'user', content: `Problem ${i}: what is $${a} + ${b}$? Give the exact value.` },
          { role: 'assistant', content: `<think>\n${thinking(i, a, b)}\n</think>\nThe sum is \\boxed{${i === 2 ? a + b + 1 : a + b}}.` },
        ],
        answer: String(a + b),
        domain: DOMAINS[i % DOMAINS.length],
      }),
    );
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

/** Runs the CLI as a user would; it fails the test with the CLI's own output when it exits non-zero. */
export function cli(args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 180_000 });
}

// The page's own MutationObserver, as far as viewLineRewrites uses it (this build has no DOM lib).
interface RewriteHost {
  __rewrites?: { n: number };
}
declare const MutationObserver: new (f: (ms: { addedNodes: Iterable<{ classList?: { contains(c: string): boolean } }> }[]) => void) => {
  observe(target: unknown, o: { childList: boolean }): void;
};

/** The Review step: queue, the open sample's editors, side panel, dialogs. */
export class ReviewPage {
  readonly rows: Locator;
  readonly sample: Locator;
  readonly thinking: Locator;
  readonly answer: Locator;
  readonly saveState: Locator;
  readonly reviewed: Locator;

  constructor(readonly page: Page) {
    this.rows = page.getByTestId('queue-row');
    this.sample = page.getByTestId('sample');
    this.thinking = page.getByTestId('thinking-editor');
    this.answer = page.getByTestId('answer-editor');
    this.saveState = page.getByTestId('save-state');
    this.reviewed = page.getByTestId('reviewed-label');
  }

  row(traceId: number | string): Locator {
    return this.page.locator(`[data-testid="queue-row"][data-trace="${traceId}"]`);
  }

  /** The trace id of the open sample. */
  async openTrace(): Promise<string> {
    return (await this.sample.getAttribute('data-trace')) ?? '';
  }

  /** Waits until the editors show the sample `traceId` (Monaco rendered its first line). */
  async expectOpen(traceId: string): Promise<void> {
    await expect(this.sample).toHaveAttribute('data-trace', traceId);
    await expect(this.thinking.locator('.view-line').first()).toBeVisible();
  }

  lines(editor: Locator): Locator {
    return editor.locator('.view-lines');
  }

  /** Puts the cursor at the end of an editor's text and types. */
  async typeAtEnd(editor: Locator, text: string): Promise<void> {
    await editor.locator('.view-lines').click();
    await this.page.keyboard.press('Control+End');
    await this.page.keyboard.type(text);
  }

  /**
   * Types `text` at the cursor, one key at a time, and returns how many of the editor's view lines were
   * rewritten (new .view-line elements) meanwhile.
   */
  async viewLineRewrites(editor: Locator, text: string): Promise<number> {
    const lines = editor.locator('.view-lines');
    await lines.evaluate((el) => {
      const seen = { n: 0 };
      (el as RewriteHost).__rewrites = seen;
      new MutationObserver((ms) => {
        for (const m of ms) for (const a of m.addedNodes) if (a.classList?.contains('view-line')) seen.n++;
      }).observe(el, { childList: true });
    });
    await this.page.keyboard.type(text, { delay: 50 });
    await this.page.waitForTimeout(300);
    return lines.evaluate((el) => (el as RewriteHost).__rewrites?.n ?? -1);
  }

  /** Takes the focus out of the editors so bare-letter shortcuts act on the page. */
  async leaveEditor(): Promise<void> {
    await this.page.getByRole('heading', { level: 1 }).click();
  }

  tab(name: string): Locator {
    return this.page.getByRole('tab', { name, exact: true });
  }
}
