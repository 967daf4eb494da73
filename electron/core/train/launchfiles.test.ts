import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pythonExecutable } from '../env/python';
import { deepspeedRefusal, launchFiles, writeLaunchFiles, type LaunchSpec } from './launchfiles';
import { onPath, parseSbatchJobId, slurmStatus, submitSbatch } from './multinode';

let tmp: string;
let savedPath: string | undefined;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-launch-'));
  savedPath = process.env.PATH;
});
afterEach(() => {
  process.env.PATH = savedPath;
  fs.rmSync(tmp, { recursive: true, force: true });
});

const hasVenv = fs.existsSync(pythonExecutable());

/** Parses accelerate configs with accelerate's own loader (the one `accelerate launch --config_file` uses); one process. */
async function loadAccelerateConfigs(files: string[]): Promise<Record<string, unknown>[]> {
  const code = 'import json,sys\nfrom accelerate.commands.config.config_args import load_config_from_file\nprint(json.dumps([load_config_from_file(f).to_dict() for f in sys.argv[1:]], default=str))';
  const r = await execa(pythonExecutable(), ['-c', code, ...files]);
  return JSON.parse(String(r.stdout).trim().split('\n').pop() ?? '[]') as Record<string, unknown>[];
}

function spec(over: Partial<LaunchSpec> = {}): LaunchSpec {
  const runDir = path.join(tmp, 'runs', 'run-1');
  return {
    runId: 'run-1', runDir, cwd: tmp, python: path.join(tmp, 'venv', 'bin', 'python'), configPath: path.join(runDir, 'config.json'),
    outputDir: path.join(runDir, 'output'), gpus: 4, nodes: 1, distributed: 'fsdp', ...over,
  };
}

/** An executable shell script at dir/name. */
function fakeTool(dir: string, name: string, body: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  return file;
}

describe('launcher files', () => {
  it('one GPU needs no file; DeepSpeed ZeRO-3 on one node writes its accelerate config and JSON', async () => {
    const one = launchFiles(spec({ gpus: 1 }));
    expect(one.files).toEqual({});
    expect(one.command.slice(1)).toEqual(['-m', 'distillery_worker', 'train', '--config', spec().configPath]);

    const l = launchFiles(spec({ distributed: 'deepspeed' }));
    writeLaunchFiles(l);
    const yamlFile = path.join(spec().runDir, 'deepspeed.yaml');
    const jsonFile = path.join(spec().runDir, 'deepspeed.json');
    expect(Object.keys(l.files).sort()).toEqual([jsonFile, yamlFile].sort());
    expect(l.command).toEqual([path.join(tmp, 'venv', 'bin', 'accelerate'), 'launch', '--num_processes', '4', '--config_file', yamlFile, '-m', 'distillery_worker', 'train', '--config', spec().configPath]);
    const ds = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { zero_optimization: Record<string, unknown>; bf16: unknown; train_micro_batch_size_per_gpu: unknown };
    expect(ds.zero_optimization.stage).toBe(3);
    expect(ds.zero_optimization.stage3_gather_16bit_weights_on_model_save).toBe(true);
    expect(ds.bf16).toEqual({ enabled: 'auto' });
    expect(ds.train_micro_batch_size_per_gpu).toBe('auto');
    if (hasVenv) {
      const f = launchFiles(spec());
      writeLaunchFiles(f);
      const [cfg = {}, fsdp] = await loadAccelerateConfigs([yamlFile, path.join(spec().runDir, 'fsdp.yaml')]);
      expect(cfg).toMatchObject({ distributed_type: 'DEEPSPEED', num_processes: 4, num_machines: 1, deepspeed_config: { deepspeed_config_file: jsonFile, zero3_init_flag: true } });
      expect(cfg.mixed_precision).toBeUndefined(); // precision comes from the JSON ("auto"); accelerate refuses both
      expect(fsdp).toMatchObject({ distributed_type: 'FSDP', mixed_precision: 'bf16', num_processes: 4, fsdp_config: { fsdp_version: 2 } });
    }
  }, 120_000);

  it('several nodes: one accelerate config per node with its rank, the main address and port', async () => {
    const l = launchFiles(spec({ nodes: 3, gpus: 8, distributed: 'deepspeed', mainIp: '10.1.2.3', mainPort: 29555 }));
    writeLaunchFiles(l);
    expect(l.nodes.map((n) => n.rank)).toEqual([0, 1, 2]);
    expect(l.command).toEqual(l.nodes[0]?.command);
    const parsed = hasVenv ? await loadAccelerateConfigs(l.nodes.map((n) => n.configFile)) : [];
    for (const n of l.nodes) {
      expect(path.basename(n.configFile)).toBe(`deepspeed-node${n.rank}.yaml`);
      expect(n.command).toContain(n.configFile);
      if (hasVenv) {
        expect(parsed[n.rank]).toMatchObject({
          num_machines: 3, num_processes: 24, machine_rank: n.rank, main_process_ip: '10.1.2.3', main_process_port: 29555, same_network: true,
          distributed_type: 'DEEPSPEED',
        });
      }
    }
  }, 120_000);

  it('the sbatch script runs accelerate once per node with $SLURM_NODEID as the rank (fake srun/scontrol/accelerate)', async () => {
    const bin = path.join(tmp, 'bin');
    const venvBin = path.join(tmp, 'venv', 'bin');
    const log = path.join(tmp, 'calls.log');
    // srun: run the task once per node, as Slurm would, with that node's SLURM_NODEID
    fakeTool(bin, 'srun', `echo "srun $*" >> ${log}\nfor i in 0 1; do SLURM_NODEID=$i "\${@: -3}"; done`);
    fakeTool(bin, 'scontrol', 'printf "gpu-a17\\ngpu-a18\\n"');
    fakeTool(venvBin, 'accelerate', `echo "accelerate $*" >> ${log}`);
    const l = launchFiles(spec({ nodes: 2, gpus: 4 }));
    writeLaunchFiles(l);
    const script = l.sbatch ?? '';
    const text = fs.readFileSync(script, 'utf8');
    for (const line of ['#SBATCH --nodes=2', '#SBATCH --gpus-per-node=4', '#SBATCH --ntasks-per-node=1']) expect(text).toContain(line);
    expect(text).toContain('scontrol show hostnames "$SLURM_JOB_NODELIST"');
    await execa('bash', ['-n', script]);
    const env = { PATH: `${bin}:${savedPath ?? ''}`, SLURM_JOB_NODELIST: 'gpu-a[17-18]' };
    await execa('bash', [script], { env });
    let calls = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(calls[0]).toMatch(/^srun --nodes=2 --ntasks-per-node=1 --kill-on-bad-exit=1 bash -c /);
    const launches = calls.filter((c) => c.startsWith('accelerate'));
    expect(launches).toHaveLength(2);
    for (const [rank, c] of launches.entries()) {
      expect(c).toContain(`--config_file ${l.nodes[0]?.configFile ?? ''}`);
      expect(c).toContain(`--num_machines 2 --num_processes 8 --machine_rank ${rank} --main_process_ip gpu-a17 --main_process_port 29500`);
      expect(c).toMatch(new RegExp(`-m distillery_worker train --config ${spec().configPath}$`));
    }
    // after a checkpoint, a resubmitted job resumes
    fs.mkdirSync(path.join(spec().outputDir, 'checkpoint-40'), { recursive: true });
    fs.rmSync(log);
    await execa('bash', [script], { env });
    calls = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.filter((c) => c.startsWith('accelerate')).every((c) => c.endsWith('--resume'))).toBe(true);
  }, 60_000);
});

describe('Slurm submission and status (fake sbatch/squeue/sacct on PATH: Slurm cannot run here)', () => {
  it('parses the job id', () => {
    expect(parseSbatchJobId('Submitted batch job 123456\n')).toBe(123456);
    expect(parseSbatchJobId('98765;cluster-a\n')).toBe(98765);
    expect(parseSbatchJobId('sbatch: error: Batch job submission failed')).toBeNull();
  });

  it('submits with sbatch where it is on PATH, says so where it is not, and reports a refusal', async () => {
    const bin = path.join(tmp, 'bin');
    const script = path.join(tmp, 'launch.sbatch');
    fs.writeFileSync(script, '#!/bin/bash\n');
    fakeTool(bin, 'sbatch', `echo "$@" > ${path.join(tmp, 'sbatch-args')}\necho "Submitted batch job 4242"`);
    process.env.PATH = `${bin}:${savedPath ?? ''}`;
    expect(onPath('sbatch')).toBe(path.join(bin, 'sbatch'));
    const ok = await submitSbatch(script, { cwd: tmp });
    expect(ok).toEqual({ submitted: true, jobId: 4242, sbatch: path.join(bin, 'sbatch') });
    expect(fs.readFileSync(path.join(tmp, 'sbatch-args'), 'utf8').trim()).toBe(script);

    fakeTool(bin, 'sbatch', 'echo "sbatch: error: Batch job submission failed: Invalid partition name specified" >&2; exit 1');
    const refused = await submitSbatch(script, { cwd: tmp });
    expect(refused.submitted).toBe(false);
    if (!refused.submitted) expect(refused.reason).toMatch(/sbatch refused the job \(exit 1\): .*Invalid partition/);

    process.env.PATH = path.join(tmp, 'empty');
    const missing = await submitSbatch(script, { cwd: tmp });
    expect(missing).toEqual({ submitted: false, command: ['sbatch', script], reason: `sbatch is not on PATH here, so the job was not submitted; on the cluster's login node run: sbatch ${script}` });
  });

  it('reads the state from squeue, then sacct once the job has left the queue', async () => {
    const bin = path.join(tmp, 'bin');
    fakeTool(bin, 'squeue', '[ "$3" = "77" ] && echo RUNNING; exit 0');
    fakeTool(bin, 'sacct', '[ "$5" = "78" ] && echo "COMPLETED"; exit 0');
    process.env.PATH = bin;
    expect(await slurmStatus(77)).toEqual({ jobId: 77, state: 'RUNNING', source: 'squeue', note: null });
    expect(await slurmStatus(78)).toEqual({ jobId: 78, state: 'COMPLETED', source: 'sacct', note: null });
    expect((await slurmStatus(79)).note).toBe('Slurm no longer knows job 79.');
    process.env.PATH = path.join(tmp, 'empty');
    expect((await slurmStatus(77)).note).toMatch(/Neither squeue nor sacct is on PATH/);
  });
});

describe('DeepSpeed refusal', () => {
  const env = { ok: true, python: '3.11', executable: '/x/.venv/bin/python', torch: '2', cuda_available: true, cuda_version: '12', gpus: [], libraries: {}, error: null };
  it('refuses DeepSpeed on several GPUs when the environment check found no deepspeed, and only then', () => {
    expect(deepspeedRefusal(env, 'deepspeed', 8)).toMatch(/^DeepSpeed ZeRO-3 was chosen .* no deepspeed package in \/x\/\.venv\/bin\/python; install it there .* or choose FSDP/);
    expect(deepspeedRefusal({ ...env, deepspeed: '0.17.1' } as typeof env, 'deepspeed', 8)).toBeNull();
    expect(deepspeedRefusal(env, 'fsdp', 8)).toBeNull();
    expect(deepspeedRefusal(env, 'deepspeed', 1)).toBeNull();
  });

  it.skipIf(!hasVenv)('the real environment check reports whether deepspeed is installed', async () => {
    const r = await execa(pythonExecutable(), ['-m', 'distillery_worker', 'env', '--json']);
    const info = JSON.parse(String(r.stdout)) as { deepspeed?: string | null };
    expect('deepspeed' in info).toBe(true);
    const installed = await execa(pythonExecutable(), ['-c', 'import deepspeed'], { reject: false });
    expect(info.deepspeed === null).toBe(installed.exitCode !== 0);
  }, 120_000);
});
