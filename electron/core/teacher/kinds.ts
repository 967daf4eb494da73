import type { Engine } from '../engine';
import { generateKind } from './generate';

export function registerTeacherJobKinds(engine: Engine): void {
  engine.registerJobKind(generateKind);
}
