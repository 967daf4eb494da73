import type { JobKindRegistry } from '../jobs';
import { generateKind } from './generate';

export function registerTeacherJobKinds(engine: JobKindRegistry): void {
  engine.registerJobKind(generateKind);
}
