import { plannedStepSpec } from '../pages/plannedStep';

plannedStepSpec('traces', { en: 'Traces', zh: '推理轨迹' }, /connected teacher/);
