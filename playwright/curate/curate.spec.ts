import { plannedStepSpec } from '../pages/plannedStep';

plannedStepSpec('curate', { en: 'Curate', zh: '筛选' }, /distilled traces/);
