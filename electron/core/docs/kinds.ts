import type { Engine } from '../engine';
import { synthKind } from './synth';

export function registerDocsJobKinds(engine: Engine): void {
  engine.registerJobKind(synthKind);
}
