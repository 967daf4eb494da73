import type { Engine } from './engine';
import { registerTeacherJobKinds } from './teacher/kinds';
import { registerVerificationJobKinds } from './verify/kinds';
import { registerCurateJobKinds } from './curate/kinds';
import { registerEmbedJobKinds } from './embed/kinds';
import { registerTrainJobKinds } from './train/kinds';
import { registerEvalJobKinds } from './eval/kinds';
import { registerDocsJobKinds } from './docs/kinds';
import { registerAugmentJobKinds } from './augment/kinds';
import { studentKind } from './curate/student';
import { hasOnnx, openGenerator } from './eval/models';
import { thinkingPrompt } from './eval/forcing';
import { reviewedOrEditedTraceIds } from './review/kept-traces';

/**
 * Every durable job kind the engine knows. Each domain registers its own, so that all hosts — desktop,
 * browser mode, CLI — can run and resume them.
 */
export function registerJobKinds(engine: Engine): void {
  // A redo of thinking-less traces keeps those a person reviewed or edited (teacher may not import review).
  registerTeacherJobKinds(engine, reviewedOrEditedTraceIds);
  registerVerificationJobKinds(engine);
  registerCurateJobKinds(engine);
  registerEmbedJobKinds(engine);
  registerTrainJobKinds(engine);
  registerEvalJobKinds(engine);
  registerDocsJobKinds(engine);
  registerAugmentJobKinds(engine);
  // Curation's student pass@k asks the student through evaluation's generators: its ONNX export in the in-app
  // engine, else the folder served on loopback (curate may not import eval, so the two meet here).
  engine.registerJobKind(
    studentKind(async (project, dir) => {
      const gen = await openGenerator(project, engine.localServers, hasOnnx(dir) ? { label: 'student', kind: 'onnx', dir } : { label: 'student', kind: 'local', dir });
      return { prompt: (q) => thinkingPrompt(gen, [{ role: 'user', content: q }]), continue: (r) => gen.continue(r), close: () => gen.close?.() ?? Promise.resolve() };
    }),
  );
}
