import type { Engine } from '../engine';
import { verifyKind } from './job';

export function registerVerificationJobKinds(engine: Engine): void {
  engine.registerJobKind(verifyKind);
}
