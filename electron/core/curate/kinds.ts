import type { JobKindRegistry } from '../jobs';
import { labelKind } from './label';

/** Curation's durable jobs: labelling questions with a taxonomy by a teacher. */
export function registerCurateJobKinds(engine: JobKindRegistry): void {
  engine.registerJobKind(labelKind);
}
