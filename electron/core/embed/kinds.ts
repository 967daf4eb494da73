import type { JobKindRegistry } from '../jobs';
import { embedKind } from './job';

/** The embedding job (question vectors for clusters in curation). */
export function registerEmbedJobKinds(engine: JobKindRegistry): void {
  engine.registerJobKind(embedKind);
}
