import type { JobKindRegistry } from '../jobs';
import type { LocalServers } from '../localserve/manager';
import { evalKind } from './job';

/** The `eval` job kind, with the engine's local model servers (stopped when the project closes). */
export function registerEvalJobKinds(engine: JobKindRegistry & { localServers: LocalServers }): void {
  engine.registerJobKind(evalKind(engine.localServers));
}
