import type { Project } from '../store/project';
import { hasTraceCondition, traceCountsOf } from '../traces/reads';
import { tracesOfQuestion } from '../traces/store';
import { UserError } from '../util/errors';

/** Browsing the pool: one paged query for a virtualised table, with full-text search, filters and sort. */
export interface QueryInput {
  search?: string;
  domains?: string[];
  sources?: string[];
  status?: 'all' | 'included' | 'excluded' | 'duplicate' | 'contaminated';
  hasTrace?: boolean;
  importId?: number;
  sort?: 'id' | 'length' | 'domain' | 'source' | 'created_at';
  dir?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
}

export interface PoolRow {
  id: number;
  ext_id: string | null;
  preview: string;
  domain: string | null;
  source: string;
  length: number;
  answer: string | null;
  excluded: number;
  exclude_reason: string | null;
  traces: number;
}

const SORTS = { id: 'q.id', length: 'length(q.question)', domain: 'q.domain', source: 'q.source', created_at: 'q.created_at' } as const;

/** Turns what a person types into an FTS5 query: each word a prefix term, quotes kept as phrases. */
export function ftsQuery(s: string): string {
  const terms: string[] = [];
  const re = /"([^"]+)"|(\S+)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m[1]) terms.push(`"${m[1].replace(/"/g, '')}"`);
    else {
      const w = m[2]!.replace(/["*^:(){}[\]\\]/g, ' ').trim();
      for (const part of w.split(/\s+/).filter(Boolean)) terms.push(`"${part}"*`);
    }
  }
  return terms.join(' ');
}

function where(q: QueryInput): { sql: string; params: unknown[] } {
  const w: string[] = [];
  const p: unknown[] = [];
  if (q.search?.trim()) {
    const f = ftsQuery(q.search);
    if (f) {
      w.push('q.id IN (SELECT rowid FROM questions_fts WHERE questions_fts MATCH ?)');
      p.push(f);
    }
  }
  if (q.domains?.length) {
    const hasNone = q.domains.includes('');
    const named = q.domains.filter(Boolean);
    const parts: string[] = [];
    if (named.length) {
      parts.push(`q.domain IN (${named.map(() => '?').join(',')})`);
      p.push(...named);
    }
    if (hasNone) parts.push('q.domain IS NULL');
    w.push(`(${parts.join(' OR ')})`);
  }
  if (q.sources?.length) {
    w.push(`q.source IN (${q.sources.map(() => '?').join(',')})`);
    p.push(...q.sources);
  }
  switch (q.status ?? 'all') {
    case 'all':
      break;
    case 'included':
      w.push('q.excluded = 0');
      break;
    case 'excluded':
      w.push('q.excluded = 1');
      break;
    case 'duplicate':
      w.push("q.exclude_reason LIKE 'duplicate of #%'");
      break;
    case 'contaminated':
      w.push('q.id IN (SELECT question_id FROM contamination)');
      break;
  }
  if (q.hasTrace !== undefined) w.push(`${q.hasTrace ? '' : 'NOT '}${hasTraceCondition('q.id')}`);
  if (q.importId !== undefined) {
    w.push('q.import_id = ?');
    p.push(q.importId);
  }
  return { sql: w.length ? `WHERE ${w.join(' AND ')}` : '', params: p };
}

export function queryPool(project: Project, q: QueryInput): { total: number; rows: PoolRow[] } {
  const db = project.db;
  const { sql, params } = where(q);
  const order = `${SORTS[q.sort ?? 'id']} ${q.dir === 'desc' ? 'DESC' : 'ASC'}, q.id ${q.dir === 'desc' ? 'DESC' : 'ASC'}`;
  const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
  const offset = Math.max(q.offset ?? 0, 0);
  try {
    const total = (db.prepare(`SELECT COUNT(*) AS n FROM questions q ${sql}`).get(...params) as { n: number }).n;
    const rows = db
      .prepare(
        `SELECT q.id, q.ext_id, substr(q.question, 1, 240) AS preview, q.domain, q.source, length(q.question) AS length,
                substr(q.answer, 1, 120) AS answer, q.excluded, q.exclude_reason
         FROM questions q ${sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
      )
      .all(...params, limit, offset) as Omit<PoolRow, 'traces'>[];
    const counts = traceCountsOf(db, rows.map((r) => r.id));
    return { total, rows: rows.map((r) => ({ ...r, traces: counts.get(r.id) ?? 0 })) };
  } catch (e) {
    if (/fts5|MATCH/i.test((e as Error).message)) throw new UserError(`The search "${q.search}" could not be understood; use plain words or "a quoted phrase".`, 'bad_search');
    throw e;
  }
}

/** Every id matching a filter: for "select all N" in the table before a bulk action. */
export function queryIds(project: Project, q: QueryInput): number[] {
  const { sql, params } = where(q);
  return (project.db.prepare(`SELECT q.id FROM questions q ${sql} ORDER BY q.id`).all(...params) as { id: number }[]).map((r) => r.id);
}

/** A row of `questions` as stored (metadata is JSON text; migrations 001 and 002). */
interface QuestionRow {
  id: number; ext_id: string | null; question: string; answer: string | null; solution: string | null; domain: string | null; source: string;
  lang: string | null; excluded: number; exclude_reason: string | null; metadata: string | null; created_at: string;
  norm_hash: string | null; import_id: number | null; source_line: number | null;
}

/** One question with its traces, the evaluation items it overlaps and its duplicate cluster (the detail pane's data). */
export function getQuestion(project: Project, id: number) {
  const db = project.db;
  const q = db.prepare('SELECT * FROM questions WHERE id = ?').get(id) as QuestionRow | undefined;
  if (!q) throw new UserError(`There is no question #${id} in this project.`, 'not_found');
  const traces = tracesOfQuestion(db, id);
  const contamination = db
    .prepare(
      `SELECT e.name AS evalset, c.item AS evalset_item, c.overlap, i.question AS evalset_question FROM contamination c
       JOIN evalsets e ON e.id = c.evalset_id LEFT JOIN evalset_items i ON i.evalset_id = c.evalset_id AND i.item = c.item WHERE c.question_id = ?`,
    )
    .all(id) as { evalset: string; evalset_item: number; overlap: string; evalset_question: string | null }[];
  const cluster = db
    .prepare('SELECT c.id, c.kind, c.representative, m.similarity FROM dup_members m JOIN dup_clusters c ON c.id = m.cluster_id WHERE m.question_id = ?')
    .get(id) as { id: number; kind: 'exact' | 'near'; representative: number; similarity: number } | undefined;
  return { ...q, metadata: q.metadata ? (JSON.parse(q.metadata) as unknown) : null, traces, contamination, cluster: cluster ?? null };
}

export function facets(project: Project) {
  const db = project.db;
  return {
    total: (db.prepare('SELECT COUNT(*) AS n FROM questions').get() as { n: number }).n,
    excluded: (db.prepare('SELECT COUNT(*) AS n FROM questions WHERE excluded = 1').get() as { n: number }).n,
    domains: db.prepare('SELECT domain, COUNT(*) AS n FROM questions GROUP BY domain ORDER BY n DESC').all() as { domain: string | null; n: number }[],
    sources: db.prepare('SELECT source, COUNT(*) AS n FROM questions GROUP BY source ORDER BY n DESC').all() as { source: string; n: number }[],
  };
}

function chunked(ids: number[], fn: (part: number[]) => number): number {
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) n += fn(ids.slice(i, i + 500));
  return n;
}

export function setExcluded(project: Project, ids: number[], excluded: boolean, reason?: string): number {
  const db = project.db;
  return db.transaction(() =>
    chunked(ids, (part) => {
      const ph = part.map(() => '?').join(',');
      return db.prepare(`UPDATE questions SET excluded = ?, exclude_reason = ? WHERE id IN (${ph})`).run(excluded ? 1 : 0, excluded ? (reason ?? 'excluded by hand') : null, ...part).changes;
    }),
  )();
}

export function setDomain(project: Project, ids: number[], domain: string | null): number {
  const db = project.db;
  return db.transaction(() =>
    chunked(ids, (part) => db.prepare(`UPDATE questions SET domain = ? WHERE id IN (${part.map(() => '?').join(',')})`).run(domain, ...part).changes),
  )();
}

export function listImports(project: Project) {
  return project.db.prepare('SELECT * FROM imports ORDER BY id DESC').all();
}

export function importRejects(project: Project, importId: number, kind: 'rejected' | 'duplicate' | 'all' = 'all', offset = 0, limit = 200) {
  const db = project.db;
  const k = kind === 'all' ? '' : 'AND kind = ?';
  const args: unknown[] = kind === 'all' ? [importId] : [importId, kind];
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM import_rejects WHERE import_id = ? ${k}`).get(...args) as { n: number }).n;
  const rows = db.prepare(`SELECT kind, file, line, reason, duplicate_of, raw FROM import_rejects WHERE import_id = ? ${k} ORDER BY line LIMIT ? OFFSET ?`).all(...args, limit, offset);
  return { total, rows };
}
