import type { Engine } from '../engine';
import { embedKind } from './job';

/** The embedding job (question vectors for clusters in curation). */
export function registerEmbedJobKinds(engine: Engine): void {
  engine.registerJobKind(embedKind);
}
