import type { Engine } from '../engine';
import { evalKind } from './job';

/** The `eval` job kind, with the engine's local model servers (stopped when the project closes). */
export function registerEvalJobKinds(engine: Engine): void {
  engine.registerJobKind(evalKind(engine.localServers));
}
