import type { Locator, Page } from '@playwright/test';

/** The Traces step: generation settings and progress, the traces view with verdicts. */
export class TracesPage {
  readonly teacher: Locator;
  readonly mode: Locator;
  readonly n: Locator;
  readonly maxTokens: Locator;
  readonly start: Locator;
  readonly progress: Locator;
  readonly bar: Locator;
  readonly questions: Locator;
  readonly detail: Locator;
  readonly check: Locator;
  readonly verdicts: Locator;
  readonly statusFilter: Locator;
  readonly verdictFilter: Locator;

  constructor(readonly page: Page) {
    this.teacher = page.locator('#gen-teacher');
    this.mode = page.locator('#gen-mode');
    this.n = page.locator('#gen-n');
    this.maxTokens = page.locator('#gen-max-tokens');
    this.start = page.getByRole('button', { name: 'Start generation' });
    this.progress = page.getByTestId('gen-progress');
    this.bar = this.progress.getByRole('progressbar');
    this.questions = page.getByTestId('question-item');
    this.detail = page.getByTestId('question-detail');
    this.check = page.getByRole('button', { name: /Check answers|Checking…/ });
    this.verdicts = page.getByTestId('question-list').getByTestId('verdict');
    this.statusFilter = page.locator('#traces-status');
    this.verdictFilter = page.locator('#traces-verdict');
  }

  stat(id: 'done' | 'failed' | 'remaining' | 'tokens' | 'inflight' | 'eta'): Locator {
    return this.page.getByTestId(`gen-${id}`);
  }
}
