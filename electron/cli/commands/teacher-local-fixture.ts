import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { pythonExecutable } from '../../core/env/python';

/**
 * What the local-teacher CLI tests share: a temporary folder with a config folder, the tiny HF model's folder
 * and a project path, the real command run in its own process, and a look for servers left running.
 */
export function localTeacherFixture(prefix: string) {
  const root = path.resolve(import.meta.dirname, '../../..');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const env = { DISTILLERY_CONFIG_DIR: path.join(tmp, 'config'), HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' };
  return {
    root,
    tmp,
    env,
    hasPython: fs.existsSync(pythonExecutable()),
    model: path.join(tmp, 'tiny'),
    project: path.join(tmp, 'p'),
    /** The real command as a user runs it, in its own process. */
    cli: (...args: string[]) => execa(process.execPath, [path.join(root, 'bin', 'distillery.mjs'), ...args], { reject: false, env, cwd: tmp }),
    /** Writes the tiny HF model into `model`. */
    makeTinyModel: async (model: string) => {
      await execa(pythonExecutable(), ['-m', 'distillery_worker', 'tiny-model', '--out', model], { env, cwd: root });
    },
    /** Processes whose command line names the model folder: a server left running after the command ended. */
    serversFor: async (dir: string): Promise<string[]> => {
      const r = await execa('ps', ['-eo', 'pid,args'], { reject: false });
      return r.stdout.split('\n').filter((l) => l.includes(dir) && /serve/.test(l));
    },
  };
}
