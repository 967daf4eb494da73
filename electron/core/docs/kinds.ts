import type { JobKindRegistry } from '../jobs';
import { synthKind } from './synth';

export function registerDocsJobKinds(engine: JobKindRegistry): void {
  engine.registerJobKind(synthKind);
}
