import type { Engine } from './engine';

/**
 * Every durable job kind the engine knows. Domains add theirs here (generation, curation, training,
 * evaluation) so that all hosts — desktop, browser mode, CLI — can run and resume them.
 */
export function registerJobKinds(_engine: Engine): void {
  // Domain job kinds are registered here as their issues land.
}
