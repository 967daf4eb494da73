import type { Engine } from '../engine';
import { labelKind } from './label';

/** Curation's durable jobs: labelling questions with a taxonomy by a teacher. */
export function registerCurateJobKinds(engine: Engine): void {
  engine.registerJobKind(labelKind);
}
