export const STEP_IDS = ['project', 'teacher', 'questions', 'traces', 'curate', 'review', 'train', 'evaluate'] as const;
export type StepId = (typeof STEP_IDS)[number];

export function isStepId(s: string): s is StepId {
  return (STEP_IDS as readonly string[]).includes(s);
}

/** The step in the address bar's hash (#/questions), so a reload keeps the user where they were. */
export function stepFromHash(): StepId {
  const h = window.location.hash.replace(/^#\/?/, '');
  return isStepId(h) ? h : 'project';
}
