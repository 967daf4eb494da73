export { JobRunner } from './runner';
export { getJob, latestJobId } from './store';
export type { RunnerOptions } from './runner';
export type { JobKind, JobKindRegistry, JobItem, ItemContext, JobProgress, JobRow, JobStatus, PlannedItem } from './types';
