import type { JobKindRegistry } from '../jobs';
import { trainKind } from './job';

/** Training's durable job: one run of the Python worker, resumable from its last checkpoint. */
export function registerTrainJobKinds(engine: JobKindRegistry): void {
  engine.registerJobKind(trainKind);
}
