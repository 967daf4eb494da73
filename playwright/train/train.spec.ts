import { plannedStepSpec } from '../pages/plannedStep';

plannedStepSpec('train', { en: 'Train', zh: '训练' }, /npm run setup:python/);
