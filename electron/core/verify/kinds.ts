import type { Engine } from '../engine';
import { verifyKind } from './job';
import { rubricJudgeKind } from './rubric-job';

export function registerVerificationJobKinds(engine: Engine): void {
  engine.registerJobKind(verifyKind);
  engine.registerJobKind(rubricJudgeKind);
}
