// The training presets are defined once, in the worker's presets.json: the engine's form presets and the
// worker's config.py (resources/python/tests/test_presets.py) read the same values.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECIPES, recipePreset, WORKER_PRESETS } from './recipes';
import { PRESETS } from './runs';

const file = path.resolve(import.meta.dirname, '../../../resources/python/src/distillery_worker/presets.json');
const onDisk = JSON.parse(fs.readFileSync(file, 'utf8')) as { base: Record<string, unknown>; presets: Record<string, Record<string, unknown>> };

describe('training presets', () => {
  it('are presets.json as the worker resolves it: base with the preset’s own keys on top', () => {
    const expected = Object.fromEntries(Object.entries(onDisk.presets).map(([name, own]) => [name, { ...onDisk.base, ...own }]));
    expect(WORKER_PRESETS).toEqual(expected);
    expect(Object.keys(WORKER_PRESETS)).toEqual(expect.arrayContaining([...RECIPES, 'fsdp']));
  });

  it('give the Train form the file’s values for every recipe', () => {
    for (const r of RECIPES) {
      const p = { ...onDisk.base, ...onDisk.presets[r] };
      expect(PRESETS[r]).toEqual({
        method: p.method, learningRate: p.learning_rate, epochs: p.num_train_epochs, batchSize: p.batch_size,
        maxLength: p.max_length, microBatch: p.micro_batch_size, gradientCheckpointing: p.gradient_checkpointing,
      });
    }
  });

  it('agree on the KD max length the planner plans and the worker runs (8192, not s1’s 32768)', () => {
    expect(PRESETS.kd.maxLength).toBe(8192);
    expect(recipePreset('kd').max_length).toBe(8192);
    expect(PRESETS.s1.maxLength).toBe(32768);
    expect(PRESETS.lora.maxLength).toBe(4096);
  });
});
