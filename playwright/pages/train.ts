import { expect, type Locator, type Page } from '@playwright/test';

/** The Train step: dataset + base model, recipe form with the planner's verdict, live run, history. */
export class TrainPage {
  readonly dataset: Locator;
  readonly base: Locator;
  readonly preset: Locator;
  readonly method: Locator;
  readonly learningRate: Locator;
  readonly epochs: Locator;
  readonly batch: Locator;
  readonly maxLength: Locator;
  readonly microBatch: Locator;
  readonly gpus: Locator;
  readonly gpuMemory: Locator;
  readonly maxSteps: Locator;
  readonly checkpointing: Locator;
  readonly modelInfo: Locator;
  readonly datasetInfo: Locator;
  readonly verdict: Locator;
  readonly launch: Locator;
  readonly runStatus: Locator;
  readonly chartPoints: Locator;
  readonly lossChart: Locator;
  readonly log: Locator;
  readonly runs: Locator;

  constructor(readonly page: Page) {
    this.dataset = page.locator('#train-dataset');
    this.base = page.locator('#train-base');
    this.preset = page.locator('#train-preset');
    this.method = page.locator('#train-method');
    this.learningRate = page.locator('#train-lr');
    this.epochs = page.locator('#train-epochs');
    this.batch = page.locator('#train-batch');
    this.maxLength = page.locator('#train-max-length');
    this.microBatch = page.locator('#train-micro-batch');
    this.gpus = page.locator('#train-gpus');
    this.gpuMemory = page.locator('#train-gpu-memory');
    this.maxSteps = page.locator('#train-max-steps');
    this.checkpointing = page.locator('#train-gc');
    this.modelInfo = page.getByTestId('model-info');
    this.datasetInfo = page.getByTestId('dataset-info');
    this.verdict = page.getByTestId('plan-verdict');
    this.launch = page.getByRole('button', { name: /^(Launch|Launch anyway)$/ });
    this.runStatus = page.getByTestId('run-status');
    this.chartPoints = page.getByTestId('chart-points');
    this.lossChart = page.getByTestId('chart-loss');
    this.log = page.getByTestId('log-tail');
    this.runs = page.getByTestId('train-run-row');
  }

  /** How many steps the loss chart plots now. */
  async lossPoints(): Promise<number> {
    return Number((await this.lossChart.getAttribute('data-points')) ?? '0');
  }

  async fill(field: Locator, value: string | number): Promise<void> {
    await field.fill(String(value));
    await expect(field).toHaveValue(String(value));
  }
}
