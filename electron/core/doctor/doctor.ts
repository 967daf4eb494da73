/**
 * The preflight (`distillery doctor`, the Project step's checklist): one list of checks, each ok, warn or
 * fail with one sentence. It answers in well under 2 s: the Python probe reads installed metadata without
 * importing torch (quick-python.ts, cached for the session), GPUs come from nvidia-smi, teachers are asked for
 * their models list with a short timeout, all at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { egressDecision, egressSummary, offlineState } from '../egress';
import { urlEndpoint } from '../egress/teachers';
import { listModels } from '../teacher/probe';
import { teacherConnection } from '../teacher/credentials';
import { authHeaders } from '../teacher/client';
import { listTeachers } from '../teacher/store';
import type { DB } from '../store/project';
import { quickPythonEnv, type QuickPythonEnv } from '../env/quick-python';
import { checkModelFolder } from '../env/models';
import { projectModelRefs } from './models';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  id: string;
  status: CheckStatus;
  message: string;
  detail?: Record<string, unknown>;
}

export interface DoctorReport {
  status: CheckStatus;
  checks: DoctorCheck[];
  /** How long this run took, start to finish (the probes run in parallel). */
  elapsed_ms: number;
  at: string;
}

const GIB = 1024 ** 3;
const REQUIRED_LIBS = ['transformers', 'trl', 'peft', 'accelerate', 'datasets'];

function worst(a: CheckStatus, b: CheckStatus): CheckStatus {
  const rank = { ok: 0, warn: 1, fail: 2 } as const;
  return rank[a] >= rank[b] ? a : b;
}

function nodeCheck(): DoctorCheck {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 20
    ? { id: 'node', status: 'ok', message: `Node ${process.versions.node}.`, detail: { version: process.versions.node } }
    : { id: 'node', status: 'fail', message: `Node ${process.versions.node} is too old: Distillery needs Node 20 or newer; install it and run again.`, detail: { version: process.versions.node } };
}

function pythonChecks(env: QuickPythonEnv): DoctorCheck[] {
  if (!env.ok) return [{ id: 'python', status: 'warn', message: `${env.error ?? 'The Python environment does not run.'} Only training, export and model serving need it.`, detail: { executable: env.executable } }];
  const [maj, min] = (env.python ?? '0.0').split('.').map(Number);
  const pyOk = maj === 3 && (min ?? 0) >= 10;
  const missing = REQUIRED_LIBS.filter((l) => !env.libraries[l]);
  const when = env.checked_at ? ` (checked ${env.checked_at}${env.cached ? ', cached for this session until the environment changes' : ''})` : '';
  return [
    {
      id: 'python',
      status: pyOk ? 'ok' : 'warn',
      message: pyOk ? `Python ${env.python} at ${env.executable}${when}.` : `Python ${env.python} at ${env.executable} is not the tested 3.11; run "npm run setup:python".`,
      detail: { version: env.python, executable: env.executable, checked_at: env.checked_at, cached: env.cached ?? false, probe_ms: env.probe_ms ?? null },
    },
    {
      id: 'python-libraries',
      status: !env.torch || missing.length ? 'fail' : 'ok',
      message:
        !env.torch || missing.length
          ? `The Python environment lacks ${[...(env.torch ? [] : ['torch']), ...missing].join(', ')}; run "npm run setup:python -- --force".`
          : `torch ${env.torch}, ${REQUIRED_LIBS.map((l) => `${l} ${env.libraries[l]}`).join(', ')}.`,
      detail: { torch: env.torch, cuda_build: env.cuda_version, libraries: env.libraries, deepspeed: env.deepspeed },
    },
  ];
}

async function nvidiaSmi(): Promise<{ index: number; name: string; memory_gib: number; free_gib: number }[] | null> {
  try {
    const r = await execa('nvidia-smi', ['--query-gpu=index,name,memory.total,memory.free', '--format=csv,noheader,nounits'], { timeout: 1_500, reject: false });
    if (r.exitCode !== 0) return null;
    return String(r.stdout)
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [i, name, total, free] = l.split(',').map((s) => s.trim());
        return { index: Number(i), name: name ?? '', memory_gib: Math.round((Number(total) / 1024) * 10) / 10, free_gib: Math.round((Number(free) / 1024) * 10) / 10 };
      });
  } catch {
    return null;
  }
}

function gpuCheck(env: QuickPythonEnv, smi: Awaited<ReturnType<typeof nvidiaSmi>>): DoctorCheck {
  if (!smi?.length) return { id: 'gpu', status: 'warn', message: 'No NVIDIA GPU found (nvidia-smi is absent or lists none): training and evaluation run on the CPU, which suits only tiny models.', detail: { gpus: [], cuda_build: env.cuda_version } };
  const list = smi.map((g) => `${g.name} (${g.memory_gib} GiB, ${g.free_gib} free)`).join(', ');
  if (env.ok && env.torch && !env.cuda_version) return { id: 'gpu', status: 'warn', message: `${list} found, but PyTorch ${env.torch} is a CPU build; install a CUDA build of torch (npm run setup:python on this machine).`, detail: { gpus: smi, cuda_build: null } };
  return { id: 'gpu', status: 'ok', message: `${list}${env.cuda_version ? `; PyTorch built for CUDA ${env.cuda_version}` : ''}.`, detail: { gpus: smi, cuda_build: env.cuda_version } };
}

function diskCheck(dir: string): DoctorCheck {
  try {
    const s = fs.statfsSync(dir);
    const free = (s.bavail * s.bsize) / GIB;
    const gib = Math.round(free * 10) / 10;
    const detail = { path: dir, free_gib: gib };
    if (free < 2) return { id: 'disk', status: 'fail', message: `Only ${gib} GiB free on the disk of ${dir}: free some space before generating or training.`, detail };
    if (free < 20) return { id: 'disk', status: 'warn', message: `${gib} GiB free on the disk of ${dir}: enough for traces, tight for checkpoints of a large model.`, detail };
    return { id: 'disk', status: 'ok', message: `${gib} GiB free on the disk of ${dir}.`, detail };
  } catch (e) {
    return { id: 'disk', status: 'warn', message: `Could not read the free space of ${dir} (${(e as Error).message}).`, detail: { path: dir } };
  }
}

function modelChecks(db: DB, projectDir: string): DoctorCheck[] {
  const refs = projectModelRefs(db, projectDir);
  if (!refs.length) return [{ id: 'models', status: 'ok', message: 'The project refers to no model folder yet.', detail: { folders: [] } }];
  return refs.map((r, i) => {
    const c = checkModelFolder(r.dir);
    return {
      id: `model-${i + 1}`,
      status: c.ok ? 'ok' : 'fail',
      message: c.ok
        ? `${r.dir} (${r.from}) has its config, tokenizer and weights.`
        : `${r.dir} (${r.from}) ${c.missing[0] === 'the folder itself' ? 'does not exist' : `lacks ${c.missing.join(', ')}`}; copy the model folder there or change ${r.from}.`,
      detail: { dir: r.dir, from: r.from, missing: c.missing },
    };
  });
}

/** Why the policy would refuse this teacher URL, as a clause, or null when it may be reached. */
function policyClause(url: string, shown: string): string | null {
  const e = urlEndpoint(url);
  const d = e ? egressDecision(e.host, e.port) : null;
  if (!d || d.allowed) return null;
  return d.reason === 'offline' ? `${shown} is not on this machine and Distillery is offline` : `${shown} is not on this machine and remote teachers are not allowed`;
}

async function teacherChecks(db: DB): Promise<DoctorCheck[]> {
  return Promise.all(
    listTeachers(db).map(async (t): Promise<DoctorCheck> => {
      const id = `teacher-${t.name}`;
      // A local teacher has no server until a step uses it: its model folder is what can be checked.
      if (t.localDir) {
        const ok = fs.existsSync(path.join(t.localDir, 'config.json'));
        const detail = { teacher: t.name, localDir: t.localDir };
        if (ok) return { id, status: 'ok', message: `Teacher "${t.name}" is the model folder ${t.localDir}; every step starts its server on demand.`, detail };
        return { id, status: 'fail', message: `Teacher "${t.name}": the model folder ${t.localDir} has no config.json; choose the model's folder again on the Teacher step.`, detail };
      }
      let conn;
      try {
        conn = teacherConnection(t);
      } catch (e) {
        return { id, status: 'fail', message: (e as Error).message, detail: { teacher: t.name } };
      }
      const results = await Promise.all(
        conn.baseUrls.map(async (url, i) => {
          const shown = t.baseUrls[i] ?? url;
          const refused = policyClause(url, shown);
          if (refused) return refused;
          try {
            const headers = authHeaders(conn);
            await listModels(url, headers, 1_200);
            return null;
          } catch (e) {
            return (e as Error).message;
          }
        }),
      );
      const bad = results.filter((r): r is string => r !== null);
      const detail = { teacher: t.name, urls: t.baseUrls, unreachable: bad };
      if (!bad.length) return { id, status: 'ok', message: `Teacher "${t.name}" answers at ${t.baseUrls.join(', ')}.`, detail };
      return { id, status: bad.length === results.length ? 'fail' : 'warn', message: `Teacher "${t.name}": ${bad.join('; ')}.`, detail };
    }),
  );
}

function egressChecks(): DoctorCheck[] {
  const s = offlineState();
  const e = egressSummary(5);
  const where = s.source === 'env' ? 'DISTILLERY_OFFLINE in the environment' : s.source === 'settings' ? s.file : 'the default';
  const outside = e.session.allowed + e.session.refused;
  return [
    {
      id: 'offline',
      status: 'ok',
      message: s.offline
        ? `Offline: only this machine (loopback) is reached (from ${where}).`
        : s.allowRemoteTeachers
          ? `Online: registered teachers and judges off this machine may be reached, nothing else (from ${where}).`
          : `Online, but remote teachers are not allowed: only this machine (loopback) is reached (allowRemoteTeachers in ${s.file}).`,
      detail: { offline: s.offline, source: s.source, file: s.file, allowRemoteTeachers: s.allowRemoteTeachers },
    },
    {
      id: 'egress',
      status: e.total.refused ? 'warn' : 'ok',
      message: `${outside} connections outside this machine in this session (${e.session.refused} refused); the log ${e.file} holds ${e.total.allowed} allowed and ${e.total.refused} refused.`,
      detail: { session: e.session, total: e.total, file: e.file, recent: e.recent },
    },
  ];
}

export interface DoctorInput {
  db?: DB;
  projectDir?: string;
  /** Run the Python probe again even when the cached answer still matches the environment. */
  refresh?: boolean;
}

export async function runDoctor(input: DoctorInput = {}): Promise<DoctorReport> {
  const started = Date.now();
  const [env, smi, teachers] = await Promise.all([quickPythonEnv(input.refresh ?? false), nvidiaSmi(), input.db ? teacherChecks(input.db) : Promise.resolve([])]);
  const checks: DoctorCheck[] = [
    nodeCheck(),
    ...pythonChecks(env),
    gpuCheck(env, smi),
    diskCheck(input.projectDir ?? process.cwd()),
    ...(input.db && input.projectDir ? modelChecks(input.db, input.projectDir) : []),
    ...teachers,
    ...egressChecks(),
  ];
  return { status: checks.reduce<CheckStatus>((a, c) => worst(a, c.status), 'ok'), checks, elapsed_ms: Date.now() - started, at: new Date().toISOString() };
}
