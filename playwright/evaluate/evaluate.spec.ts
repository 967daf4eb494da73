import { plannedStepSpec } from '../pages/plannedStep';

plannedStepSpec('evaluate', { en: 'Evaluate', zh: '评测' }, /Evaluation sets/);
