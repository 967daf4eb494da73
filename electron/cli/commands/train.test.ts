import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { appRouter } from '../../core/api/router';
import { Engine } from '../../core/engine';
import { pythonExecutable } from '../../core/env/python';
import { registerJobKinds } from '../../core/kinds';
import { createProject } from '../../core/store/project';
import { tinyDataset, tinyModel } from '../../core/train/testing';
import type { CliIO } from '../io';
import { runTrain } from './train';

function memIO(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => out.push(s), stderr: (s) => err.push(s), readFile: (p) => fs.promises.readFile(p, 'utf8') };
}

const QWEN25_7B = { architectures: ['Qwen2ForCausalLM'], hidden_size: 3584, intermediate_size: 18944, num_hidden_layers: 28, num_attention_heads: 28, num_key_value_heads: 4, vocab_size: 152064, tie_word_embeddings: false, torch_dtype: 'bfloat16' };

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-train-'));
}

// the engine remembers the projects it opens: in a folder of this test, not the user's recent list
process.env.DISTILLERY_CONFIG_DIR = tmp();

describe('distillery train --dry-run', () => {
  it('plans from config.json alone and starts nothing', async () => {
    const root = tmp();
    const base = path.join(root, 'qwen7b');
    fs.mkdirSync(base);
    fs.writeFileSync(path.join(base, 'config.json'), JSON.stringify(QWEN25_7B));
    const project = path.join(root, 'proj');
    const io = memIO();
    const code = await runTrain([project, '--base', base, '--dataset', path.join(root, 'ds'), '--recipe', 'qlora', '--gpus', '1', '--gpu-memory-gib', '24', '--max-length', '4096', '--dry-run', '--json'], io);
    expect(code).toBe(0);
    const r = JSON.parse(io.out.join('')) as { fits: boolean; per_gpu_gib: number; breakdown: Record<string, number>; suggestion: string | null; command: string[] };
    expect(r.fits).toBe(true);
    expect(r.per_gpu_gib).toBeLessThan(24);
    expect(Object.keys(r.breakdown).sort()).toEqual(['activations', 'gradients', 'lora', 'optimizer', 'overhead', 'teacher', 'weights']);
    expect(r.suggestion).toBeNull();
    expect(r.command.slice(1, 5)).toEqual(['-m', 'distillery_worker', 'train', '--config']);
    expect(r.command[0]).toBe(pythonExecutable());
    expect(fs.existsSync(project)).toBe(false); // nothing written

    const io2 = memIO();
    await runTrain([project, '--base', base, '--dataset', 'ds', '--recipe', 's1', '--gpus', '8', '--gpu-memory-gib', '80', '--dry-run', '--json'], io2);
    const r2 = JSON.parse(io2.out.join('')) as { fits: boolean; command: string[]; suggestion: string | null };
    expect(path.basename(r2.command[0] ?? '')).toBe('accelerate');
    expect(r2.command.slice(1, 4)).toEqual(['launch', '--num_processes', '8']);
    expect(r2.command).toContain('--config_file');
    expect(r2.fits).toBe(true);

    const io3 = memIO();
    await runTrain([project, '--base', base, '--dataset', 'ds', '--recipe', 's1', '--gpus', '1', '--gpu-memory-gib', '24', '--max-length', '4096', '--dry-run', '--json'], io3);
    const r3 = JSON.parse(io3.out.join('')) as { fits: boolean; suggestion: string | null };
    expect(r3.fits).toBe(false);
    expect(r3.suggestion).toMatch(/QLoRA|LoRA/);
  });

  it('refuses a base folder without config.json', async () => {
    const root = tmp();
    await expect(runTrain([root, '--base', root, '--dataset', root, '--dry-run', '--gpu-memory-gib', '24', '--gpus', '1'], memIO())).rejects.toThrow(/config\.json/);
  });
});

const python = pythonExecutable();
const hasVenv = fs.existsSync(python);

function qwenBase(root: string): string {
  const base = path.join(root, 'qwen7b');
  fs.mkdirSync(base, { recursive: true });
  fs.writeFileSync(path.join(base, 'config.json'), JSON.stringify(QWEN25_7B));
  return base;
}

describe('distillery train: DeepSpeed and several nodes', () => {
  it('plans DeepSpeed ZeRO-3 like FSDP and points the command at deepspeed.yaml', async () => {
    const root = tmp();
    const base = qwenBase(root);
    const io = memIO();
    await runTrain([path.join(root, 'p'), '--base', base, '--dataset', 'ds', '--recipe', 's1', '--gpus', '8', '--gpu-memory-gib', '80', '--distributed', 'deepspeed', '--dry-run', '--json'], io);
    const ds = JSON.parse(io.out.join('')) as { fits: boolean; per_gpu_gib: number; command: string[] };
    const io2 = memIO();
    await runTrain([path.join(root, 'p'), '--base', base, '--dataset', 'ds', '--recipe', 's1', '--gpus', '8', '--gpu-memory-gib', '80', '--dry-run', '--json'], io2);
    const fsdp = JSON.parse(io2.out.join('')) as { per_gpu_gib: number; command: string[] };
    expect(ds.per_gpu_gib).toBe(fsdp.per_gpu_gib);
    expect(path.basename(ds.command[ds.command.indexOf('--config_file') + 1] ?? '')).toBe('deepspeed.yaml');
    expect(path.basename(fsdp.command[fsdp.command.indexOf('--config_file') + 1] ?? '')).toBe('fsdp.yaml');
    await expect(runTrain([root, '--base', base, '--dataset', 'ds', '--distributed', 'zero2', '--dry-run', '--gpus', '2', '--gpu-memory-gib', '80'], memIO())).rejects.toThrow(/--distributed must be fsdp or deepspeed/);
    await expect(runTrain([root, '--base', base, '--dataset', 'ds', '--recipe', 'kd', '--teacher-logits', root, '--dry-run', '--gpus', '1', '--gpu-memory-gib', '80'], memIO())).rejects.toThrow(/has no index\.json; compute the teacher logits first/);
  }, 180_000);

  it.skipIf(!hasVenv)('refuses to launch DeepSpeed when the environment check finds no deepspeed', async () => {
    const probe = await execa(python, ['-c', 'import deepspeed'], { reject: false });
    if (probe.exitCode === 0) return; // installed here: nothing to refuse
    const root = tmp();
    createProject(path.join(root, 'p')).close();
    fs.mkdirSync(path.join(root, 'ds'));
    await expect(runTrain([path.join(root, 'p'), '--base', qwenBase(root), '--dataset', path.join(root, 'ds'), '--gpus', '2', '--gpu-memory-gib', '80', '--distributed', 'deepspeed'], memIO()))
      .rejects.toThrow(/DeepSpeed ZeRO-3 was chosen .* no deepspeed package .* or choose FSDP/);
    expect(fs.readdirSync(path.join(root, 'p', 'artifacts'))).toEqual([]); // nothing written
  }, 180_000);

  it.skipIf(!hasVenv)('--nodes 2 writes per-node configs and an sbatch script, submits it with sbatch (fake, on PATH), and reads its status', async () => {
    const root = tmp();
    const project = path.join(root, 'p');
    createProject(project).close();
    fs.mkdirSync(path.join(root, 'ds'));
    const bin = path.join(root, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'sbatch'), `#!/bin/bash\necho "$1" > ${path.join(root, 'submitted')}\necho "Submitted batch job 4242"\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'squeue'), '#!/bin/bash\necho RUNNING\n', { mode: 0o755 });
    const saved = process.env.PATH;
    process.env.PATH = `${bin}:${saved ?? ''}`;
    try {
      const args = [project, '--base', qwenBase(root), '--dataset', path.join(root, 'ds'), '--gpus', '8', '--nodes', '2', '--gpu-memory-gib', '80', '--main-ip', '10.9.8.7'];
      const io = memIO();
      expect(await runTrain([...args, '--json'], io)).toBe(0);
      const r = JSON.parse(io.out.join('')) as { run: string; submitted: boolean; slurm_job_id: number; script: string; output: string };
      expect(r).toMatchObject({ submitted: true, slurm_job_id: 4242 });
      const runDir = path.join(project, 'artifacts', 'runs', r.run);
      expect(fs.readFileSync(path.join(root, 'submitted'), 'utf8').trim()).toBe(path.join(runDir, 'launch.sbatch'));
      expect(fs.readdirSync(runDir).sort()).toEqual(['config.json', 'fsdp-node0.yaml', 'fsdp-node1.yaml', 'launch.sbatch', 'plan.json', 'slurm.json']);
      expect(fs.readFileSync(path.join(runDir, 'fsdp-node1.yaml'), 'utf8')).toMatch(/num_machines: 2\nnum_processes: 16\nmachine_rank: 1\nmain_process_ip: "10\.9\.8\.7"\nmain_process_port: 29500/);
      const plan = JSON.parse(fs.readFileSync(path.join(runDir, 'plan.json'), 'utf8')) as { slurm: { job_id: number }; node_commands: string[][] };
      expect(plan.slurm.job_id).toBe(4242);
      expect(plan.node_commands).toHaveLength(2);
      expect((await apiRuns(project)).map((x) => [x.id, x.status])).toEqual([[r.run, 'queued']]);
      expect(JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8'))).toMatchObject({ distributed: 'fsdp', fsdp: true });

      fs.writeFileSync(r.output, `${JSON.stringify({ event: 'start', method: 'full', device: 'H100', dtype: 'bf16', train_examples: 9, output_dir: 'o' })}\n${JSON.stringify({ event: 'step', step: 3, max_steps: 10, loss: 1.5 })}\n`);
      const st = memIO();
      await runTrain([project, '--status', r.run], st);
      expect(st.out[0]).toBe('Slurm job 4242: RUNNING (squeue)');
      expect(st.out[2]).toMatch(/^step 3\/10 .* loss 1\.5000/);

      process.env.PATH = path.join(root, 'nothing-here');
      const io2 = memIO();
      expect(await runTrain(args, io2)).toBe(0);
      expect(io2.out[0]).toMatch(/^sbatch is not on PATH here, so the job was not submitted; on the cluster's login node run: sbatch .*launch\.sbatch$/);
      expect(io2.out.filter((l) => l.startsWith('  node '))).toHaveLength(2);
      expect(io2.out.join('\n')).toMatch(/node 1: .*accelerate launch --config_file .*fsdp-node1\.yaml -m distillery_worker train --config/);
    } finally {
      process.env.PATH = saved;
    }
  }, 120_000);
});

/** The runs the Train view lists for the project (the tRPC caller the UI's API runs on). */
async function apiRuns(dir: string) {
  const engine = new Engine({ mode: 'browser' });
  registerJobKinds(engine);
  await engine.open(dir);
  try {
    return await appRouter.createCaller({ engine }).train.runs();
  } finally {
    await engine.close();
  }
}

describe('distillery train: the batch against the dataset (issue 17)', () => {
  it('says when the examples make one optimizer step per epoch', async () => {
    const root = tmp();
    const ds = tinyDataset(path.join(root, 'ds'), 5);
    const io = memIO();
    expect(await runTrain([path.join(root, 'p'), '--base', qwenBase(root), '--dataset', ds, '--recipe', 's1', '--gpus', '1', '--gpu-memory-gib', '80', '--dry-run', '--json'], io)).toBe(0);
    expect(io.err).toContain('train: note: 5 examples with an effective batch of 16 make 1 optimizer step per epoch; lower the batch (or the gradient accumulation) or add examples.');
    expect((JSON.parse(io.out.join('')) as { batch: unknown }).batch).toEqual({ examples: 5, effective: 16, stepsPerEpoch: 1, few: true });
    const ok = memIO();
    await runTrain([path.join(root, 'p'), '--base', qwenBase(root), '--dataset', tinyDataset(path.join(root, 'ds40'), 40), '--gpus', '1', '--gpu-memory-gib', '80', '--dry-run'], ok);
    expect(ok.err.join('\n')).not.toMatch(/optimizer step/);
  });
});

describe.skipIf(!hasVenv)('distillery train (real tiny runs; needs .venv)', () => {
  it('trains a tiny model for 2 steps as the durable train job: progress on stderr, the result on stdout, the run in the Train view\'s list', async () => {
    const root = tmp();
    const model = tinyModel();
    const ds = tinyDataset(path.join(root, 'ds'), 4);
    const recipe = path.join(root, 'recipe.json');
    fs.writeFileSync(recipe, JSON.stringify({ method: 'full', learning_rate: 1e-3, micro_batch_size: 2, gradient_accumulation_steps: 1, max_length: 96, gradient_checkpointing: false, save_steps: 1000 }));
    const project = path.join(root, 'proj');
    createProject(project).close();
    const io = memIO();
    const code = await runTrain([project, '--base', model, '--dataset', ds, '--recipe', recipe, '--gpus', '1', '--gpu-memory-gib', '8', '--max-steps', '2', '--epochs', '3', '--json'], io);
    expect(code, io.err.join('\n')).toBe(0);
    expect(io.out).toHaveLength(1);
    const r = JSON.parse(io.out[0] ?? '') as { run: string; status: string; step: number; max_steps: number; loss: number; output_dir: string };
    expect(r).toMatchObject({ status: 'done', step: 2, max_steps: 2 });
    expect(r.loss).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(r.output_dir, 'model.safetensors'))).toBe(true);
    // this machine has no GPU: said once, and the worker agrees (cpu, fp32)
    expect(io.err.filter((l) => l.includes('trains on the CPU in fp32'))).toEqual(['train: no GPU here: the memory plan is for 1 × 8 GiB GPU; this run trains on the CPU in fp32 (slow: fine for tiny models and tests).']);
    expect(io.err.some((l) => /^Training full on cpu \(fp32\), 4 examples/.test(l))).toBe(true);
    expect(io.err.filter((l) => /^step \d\/2 .* loss \d/.test(l))).toHaveLength(2);
    const cfg = JSON.parse(fs.readFileSync(path.join(project, 'artifacts', 'runs', r.run, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(cfg).toMatchObject({ max_steps: 2, num_train_epochs: 3, base_model: model, learning_rate: 1e-3, micro_batch_size: 2, gradient_accumulation_steps: 1, save_steps: 1000 });

    const runs = await apiRuns(project);
    expect(runs.map((x) => ({ id: x.id, status: x.status, step: x.step, jobStatus: x.jobStatus }))).toEqual([{ id: r.run, status: 'done', step: 2, jobStatus: 'done' }]);
  }, 600_000);

  it('Ctrl-C pauses the run (checkpoint saved); the same command resumes that run and finishes it', async () => {
    const root = tmp();
    const model = tinyModel();
    const ds = tinyDataset(path.join(root, 'ds'), 8);
    const recipe = path.join(root, 'recipe.json');
    fs.writeFileSync(recipe, JSON.stringify({ preset: 'lora', learning_rate: 1e-3, batch_size: 1, max_length: 96, gradient_checkpointing: false, save_steps: 1000 }));
    const project = path.join(root, 'proj');
    createProject(project).close();
    const args = ['train', project, '--base', model, '--dataset', ds, '--recipe', recipe, '--gpus', '1', '--gpu-memory-gib', '8', '--max-steps', '40', '--json'];
    const bin = path.resolve(import.meta.dirname, '../../../bin/distillery.mjs');
    const env = { ...process.env, DISTILLERY_CONFIG_DIR: process.env.DISTILLERY_CONFIG_DIR };
    const first = execa(process.execPath, [bin, ...args], { reject: false, env });
    let err = '';
    let signalled = false;
    first.stderr?.on('data', (b: Buffer) => {
      err += b.toString();
      if (!signalled && /^step 2\/40 /m.test(err)) {
        signalled = true;
        first.kill('SIGINT');
      }
    });
    const r1 = await first;
    expect(r1.exitCode, err).toBe(130);
    const paused = JSON.parse(String(r1.stdout).trim()) as { run: string; status: string; step: number; output_dir: string };
    expect(paused.status).toBe('paused');
    expect(paused.step).toBeGreaterThanOrEqual(2);
    expect(fs.readdirSync(paused.output_dir).some((n) => /^checkpoint-\d+$/.test(n))).toBe(true);
    expect(err).toContain(`Resume with: distillery train ${project} --resume ${paused.run}`);
    expect((await apiRuns(project)).map((x) => [x.id, x.status])).toEqual([[paused.run, 'paused']]);

    const second = await execa(process.execPath, [bin, ...args], { reject: false, env });
    expect(second.exitCode, String(second.stderr)).toBe(0);
    expect(String(second.stderr)).toContain(`train: resuming run ${paused.run}`);
    expect(JSON.parse(String(second.stdout).trim())).toMatchObject({ run: paused.run, status: 'done', step: 40 });
    expect((await apiRuns(project)).map((x) => [x.id, x.status])).toEqual([[paused.run, 'done']]);
  }, 600_000);
});
