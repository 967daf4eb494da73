import type { Engine } from '../engine';
import { augmentKind } from './augment';
import { pseudoKind } from './pseudo';

export function registerAugmentJobKinds(engine: Engine): void {
  engine.registerJobKind(augmentKind);
  engine.registerJobKind(pseudoKind);
}
