import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, mutate, test } from '../fixtures';

const PYTHON = path.resolve('.venv', 'bin', 'python');
const HAS_PYTHON = fs.existsSync(PYTHON);
const MODEL = process.env.DISTILLERY_TINY_MODEL ?? path.join(os.tmpdir(), 'distillery-tiny-qwen2-v2');

function buildTinyModel(): void {
  if (fs.existsSync(path.join(MODEL, 'model.safetensors')) && fs.existsSync(path.join(MODEL, 'tokenizer.json'))) return;
  const tmp = `${MODEL}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  execFileSync(PYTHON, ['-m', 'distillery_worker', 'tiny-model', '--out', tmp], { env: { ...process.env, HF_HUB_OFFLINE: '1' }, stdio: 'ignore', timeout: 600_000 });
  try {
    fs.renameSync(tmp, MODEL);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

test.describe('Train step: several GPUs', () => {
  test.skip(!HAS_PYTHON, `No Python environment at ${PYTHON}: run "npm run setup:python".`);
  test.beforeAll(() => {
    test.setTimeout(900_000);
    buildTinyModel();
  });

  test('offers FSDP or DeepSpeed ZeRO-3 for several GPUs; DeepSpeed without the package blocks Launch with a sentence', async ({ app, page, request, host, uniqueDir }) => {
    test.setTimeout(300_000);
    const deepspeedInstalled = spawnSync(PYTHON, ['-c', 'import deepspeed'], { stdio: 'ignore' }).status === 0;
    const dir = uniqueDir('train-dist');
    await mutate(request, host, 'project.create', { dir, name: 'Train distributed' });
    await app.open('#/train');
    await app.expectActive('train');
    await page.locator('#train-base').fill(MODEL);
    await expect(page.getByTestId('model-info')).toHaveAttribute('data-ok', 'yes', { timeout: 60_000 });
    const distributed = page.locator('#train-distributed');
    await page.locator('#train-gpus').fill('1');
    await expect(distributed).toHaveCount(0);
    await page.locator('#train-gpus').fill('2');
    await expect(distributed).toBeVisible();
    await expect(distributed).toHaveValue('fsdp');
    await expect(page.getByTestId('plan-verdict')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('plan-blocked')).toHaveCount(0);

    await distributed.selectOption('deepspeed');
    if (deepspeedInstalled) {
      await expect(page.getByTestId('plan-blocked')).toHaveCount(0);
    } else {
      await expect(page.locator('#train-distributed option[value="deepspeed"]')).toHaveText('DeepSpeed ZeRO-3 (not installed)', { timeout: 120_000 });
      await expect(page.getByTestId('plan-blocked')).toContainText(/Cannot launch here: DeepSpeed ZeRO-3 was chosen .* no deepspeed package/, { timeout: 60_000 });
      await expect(page.getByRole('button', { name: /^(Launch|Launch anyway)$/ })).toBeDisabled();
    }
    await distributed.selectOption('fsdp');
    await expect(page.getByTestId('plan-blocked')).toHaveCount(0, { timeout: 60_000 });
    // packing is a recipe choice; the worker turns it off with a note where flash attention is missing
    await expect(page.locator('#train-packing')).not.toBeChecked();
    await page.locator('#train-packing').check();
    await expect(page.locator('#train-packing')).toBeChecked();
  });
});
