import type { Engine } from './engine';
import { registerTeacherJobKinds } from './teacher/kinds';
import { registerVerificationJobKinds } from './verify/kinds';
import { registerCurateJobKinds } from './curate/kinds';
import { registerEmbedJobKinds } from './embed/kinds';
import { registerTrainJobKinds } from './train/kinds';
import { registerEvalJobKinds } from './eval/kinds';
import { registerDocsJobKinds } from './docs/kinds';
import { registerAugmentJobKinds } from './augment/kinds';

/**
 * Every durable job kind the engine knows. Each domain registers its own, so that all hosts — desktop,
 * browser mode, CLI — can run and resume them.
 */
export function registerJobKinds(engine: Engine): void {
  registerTeacherJobKinds(engine);
  registerVerificationJobKinds(engine);
  registerCurateJobKinds(engine);
  registerEmbedJobKinds(engine);
  registerTrainJobKinds(engine);
  registerEvalJobKinds(engine);
  registerDocsJobKinds(engine);
  registerAugmentJobKinds(engine);
}
