import type { Engine } from '../engine';

export function registerTeacherJobKinds(_engine: Engine): void {}
