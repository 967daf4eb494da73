// The project overview's counts per pipeline stage, composed from each domain's own count (issue 16 §3: store/
// is the bottom layer and names no domain's table; each domain counts its own rows).
import { selectionSize } from '../curate/frozen';
import { excludedCount, poolDomainCounts } from '../pool/question-rows';
import { poolSize } from '../pool/questions';
import { acceptedCount } from '../review/export-reads';
import type { DB } from '../store/project';
import { doneTraceCount } from '../traces/store';

export interface ProjectStats {
  questions: number;
  excluded: number;
  domains: Record<string, number>;
  traces: number;
  selected: number;
  accepted: number;
}

/** Counts per pipeline stage (the dashboard and `project info`). */
export function projectStats(db: DB): ProjectStats {
  return {
    questions: poolSize(db),
    excluded: excludedCount(db),
    domains: poolDomainCounts(db),
    traces: doneTraceCount(db),
    selected: selectionSize(db),
    accepted: acceptedCount(db),
  };
}
