import type { JobKindRegistry } from '../jobs';
import { augmentKind } from './augment';
import { pseudoKind } from './pseudo';

export function registerAugmentJobKinds(engine: JobKindRegistry): void {
  engine.registerJobKind(augmentKind);
  engine.registerJobKind(pseudoKind);
}
