import { plannedStepSpec } from '../pages/plannedStep';

plannedStepSpec('questions', { en: 'Questions', zh: '题目' }, /question file/);
