import type { JobKindRegistry } from '../jobs';
import { verifyKind } from './job';
import { rubricJudgeKind } from './rubric-job';

export function registerVerificationJobKinds(engine: JobKindRegistry): void {
  engine.registerJobKind(verifyKind);
  engine.registerJobKind(rubricJudgeKind);
}
