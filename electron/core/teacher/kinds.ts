import type { JobKindRegistry } from '../jobs';
import { generateKindWith, type KeptTraces } from './generate';

/** `kept`: the traces a person reviewed or edited (review/ `reviewedOrEditedTraceIds`), which a redo keeps. */
export function registerTeacherJobKinds(engine: JobKindRegistry, kept: KeptTraces): void {
  engine.registerJobKind(generateKindWith(kept));
}
