import type { Engine } from '../engine';

export function registerPoolJobKinds(_engine: Engine): void {}
