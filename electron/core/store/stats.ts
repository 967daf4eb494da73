import type { DB } from './project';

export interface ProjectStats {
  questions: number;
  excluded: number;
  domains: Record<string, number>;
  traces: number;
  selected: number;
  accepted: number;
}

/** Counts per pipeline stage, read from the store (the dashboard and `project info`). */
export function projectStats(db: DB): ProjectStats {
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const domains: Record<string, number> = {};
  const rows = db
    .prepare("SELECT COALESCE(domain, 'unlabelled') AS d, COUNT(*) AS n FROM questions WHERE excluded = 0 GROUP BY d ORDER BY n DESC, d")
    .all() as { d: string; n: number }[];
  for (const r of rows) domains[r.d] = r.n;
  return {
    questions: count('SELECT COUNT(*) AS n FROM questions WHERE excluded = 0'),
    excluded: count('SELECT COUNT(*) AS n FROM questions WHERE excluded = 1'),
    domains,
    traces: count("SELECT COUNT(*) AS n FROM traces WHERE status = 'done'"),
    selected: count('SELECT COUNT(*) AS n FROM selection'),
    accepted: count("SELECT COUNT(*) AS n FROM reviews WHERE status = 'accepted'"),
  };
}
