import type { Engine } from '../engine';
import { trainKind } from './job';

/** Training's durable job: one run of the Python worker, resumable from its last checkpoint. */
export function registerTrainJobKinds(engine: Engine): void {
  engine.registerJobKind(trainKind);
}
