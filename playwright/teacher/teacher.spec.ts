import { plannedStepSpec } from '../pages/plannedStep';

plannedStepSpec('teacher', { en: 'Teacher', zh: '教师模型' }, /endpoint|model folder/);
