export { JobRunner } from './runner';
export type { RunnerOptions } from './runner';
export type { JobKind, JobItem, ItemContext, JobProgress, JobRow, JobStatus, PlannedItem } from './types';
