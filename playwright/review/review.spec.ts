import { plannedStepSpec } from '../pages/plannedStep';

plannedStepSpec('review', { en: 'Review', zh: '审阅' }, /Curated samples/);
