import { cachedPythonEnv, type PythonEnv } from './python';
import { quickPythonEnv, type QuickPythonEnv } from './quick-python';

export interface EnvFacts {
  /** Versions from installed metadata and the CUDA version torch was built for: tens of milliseconds, torch not imported. */
  quick: QuickPythonEnv;
  /** The full check (torch imported: CUDA works, the GPUs) when it already ran for this environment; null until asked. */
  full: PythonEnv | null;
}

/** What the Environment card shows at once: never spawns the torch-importing probe (`checkPythonEnv` does, on request). */
export async function envFacts(force = false): Promise<EnvFacts> {
  return { quick: await quickPythonEnv(force), full: cachedPythonEnv() };
}
