import type { Project } from '../store/project';
import { UserError } from '../util/errors';
import { findDuplicates, jaccard, type NearDupOptions } from './minhash';

export interface DedupSummary {
  checked: number;
  clusters: number;
  /** Questions that applying this proposal would exclude (nothing is excluded until it is applied). */
  wouldRemove: number;
  exactClusters: number;
  nearClusters: number;
  /** Members kept out of the proposal because their numbers differ from their representative's. */
  numbersDiffer: number;
  candidates: number;
  ms: number;
}

const DUP_REASON = 'duplicate of #';
const now = () => new Date().toISOString();

/** The numbers of a text, sorted: "7! mod 97" and "7! mod 35" are different problems. */
export function numbersOf(text: string): string {
  const ns = text.normalize('NFKC').match(/\d+(?:[.,]\d+)*/g) ?? [];
  return ns
    .map((n) => n.replace(/,/g, ''))
    .sort()
    .join(' ');
}

/**
 * Finds exact and near duplicates of the whole pool and stores them as a **proposal**: clusters, each with
 * a representative (a question the user chose to keep, else the oldest) and the members that applying it
 * would exclude. Nothing is excluded here: near-duplicate detection once excluded 36% of the sample project
 * silently, mostly questions that differ only in their numbers. A member whose numbers differ from its
 * representative's is listed but not proposed unless the user says it is a duplicate (`includeMember`).
 * A re-run replaces the previous proposal; exclusions already applied and the user's keeps survive it.
 */
export function proposeDedup(project: Project, opts: NearDupOptions = {}): DedupSummary {
  const t0 = performance.now();
  const threshold = opts.threshold ?? 0.8;
  if (!(threshold > 0 && threshold <= 1)) throw new UserError(`The dedup threshold must be above 0 and at most 1, not ${threshold}.`, 'bad_threshold');
  const db = project.db;
  const qs = db.prepare('SELECT id, question, excluded FROM questions ORDER BY id').all() as { id: number; question: string; excluded: number }[];
  const kept = new Set((db.prepare('SELECT question_id FROM dup_keep').all() as { question_id: number }[]).map((r) => r.question_id));
  const res = findDuplicates(
    qs.map((q) => q.question),
    opts,
  );
  const groups = new Map<number, number[]>();
  for (let i = 0; i < qs.length; i++) {
    const r = res.root[i]!;
    if (r === i && !groups.has(r)) continue;
    let g = groups.get(r);
    if (!g) groups.set(r, (g = [r]));
    if (r !== i) g.push(i);
  }
  const exactPair = new Set(res.pairs.filter((p) => p.exact).map((p) => `${p.a}:${p.b}`));
  let wouldRemove = 0;
  let numbersDiffer = 0;
  let exactClusters = 0;
  let nearClusters = 0;
  const ts = now();
  db.transaction(() => {
    db.prepare('DELETE FROM dup_members').run();
    db.prepare('DELETE FROM dup_clusters').run();
    const insC = db.prepare('INSERT INTO dup_clusters (kind, representative, threshold, created_at) VALUES (?, ?, ?, ?)');
    const insM = db.prepare('INSERT INTO dup_members (question_id, cluster_id, similarity, proposed, numbers_differ) VALUES (?, ?, ?, ?, ?)');
    for (const members of groups.values()) {
      const keptHere = members.filter((i) => kept.has(qs[i]!.id));
      const rep = keptHere.length ? Math.min(...keptHere) : Math.min(...members);
      // Exact-only when every member joined through an identical text.
      const exact = members.every((i) => i === members[0] || exactPair.has(`${members[0]}:${i}`));
      if (exact) exactClusters++;
      else nearClusters++;
      const cid = Number(insC.run(exact ? 'exact' : 'near', qs[rep]!.id, threshold, ts).lastInsertRowid);
      const repSh = res.shingles[rep]!;
      const repNums = numbersOf(qs[rep]!.question);
      for (const i of members) {
        const sh = res.shingles[i]!;
        const sim = i === rep ? 1 : sh.length === 0 || repSh.length === 0 ? 1 : jaccard(repSh, sh);
        const differ = i !== rep && numbersOf(qs[i]!.question) !== repNums;
        const proposed = i !== rep && !differ && !kept.has(qs[i]!.id);
        if (differ) numbersDiffer++;
        if (proposed && !qs[i]!.excluded) wouldRemove++;
        insM.run(qs[i]!.id, cid, Math.round(sim * 1000) / 1000, proposed ? 1 : 0, differ ? 1 : 0);
      }
    }
  })();
  return { checked: qs.length, clusters: groups.size, wouldRemove, exactClusters, nearClusters, numbersDiffer, candidates: res.candidates, ms: Math.round(performance.now() - t0) };
}

/** Applies the stored proposal: excludes every proposed member ("duplicate of #REP"), remembered for undo. */
export function applyDedup(project: Project): { application: number | null; excluded: number } {
  const db = project.db;
  const rows = db
    .prepare(
      `SELECT m.question_id, c.representative FROM dup_members m JOIN dup_clusters c ON c.id = m.cluster_id
       JOIN questions q ON q.id = m.question_id LEFT JOIN dup_keep k ON k.question_id = m.question_id
       WHERE m.proposed = 1 AND q.excluded = 0 AND k.question_id IS NULL ORDER BY m.question_id`,
    )
    .all() as { question_id: number; representative: number }[];
  if (!rows.length) return { application: null, excluded: 0 };
  return db.transaction(() => {
    const app = Number(db.prepare('INSERT INTO dedup_applications (applied_at, excluded) VALUES (?, ?)').run(now(), rows.length).lastInsertRowid);
    const excl = db.prepare('UPDATE questions SET excluded = 1, exclude_reason = ? WHERE id = ? AND excluded = 0');
    const rec = db.prepare('INSERT INTO dedup_applied_questions (application_id, question_id) VALUES (?, ?)');
    for (const r of rows) {
      excl.run(`${DUP_REASON}${r.representative}`, r.question_id);
      rec.run(app, r.question_id);
    }
    return { application: app, excluded: rows.length };
  })();
}

/** Undoes the last applied dedup: its questions come back unless the user excluded them for another reason since. */
export function undoDedup(project: Project): { application: number | null; restored: number } {
  const db = project.db;
  const last = db.prepare('SELECT id FROM dedup_applications WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1').get() as { id: number } | undefined;
  if (!last) return { application: null, restored: 0 };
  return db.transaction(() => {
    const r = db
      .prepare(
        `UPDATE questions SET excluded = 0, exclude_reason = NULL
         WHERE id IN (SELECT question_id FROM dedup_applied_questions WHERE application_id = ?) AND excluded = 1 AND exclude_reason LIKE '${DUP_REASON}%'`,
      )
      .run(last.id);
    db.prepare('UPDATE dedup_applications SET undone_at = ? WHERE id = ?').run(now(), last.id);
    return { application: last.id, restored: r.changes };
  })();
}

/** The user's word on a member whose numbers differ: it is a duplicate after all (or not, again). */
export function includeMember(project: Project, questionId: number, include: boolean): void {
  const db = project.db;
  const m = db.prepare('SELECT m.cluster_id, c.representative FROM dup_members m JOIN dup_clusters c ON c.id = m.cluster_id WHERE m.question_id = ?').get(questionId) as
    | { cluster_id: number; representative: number }
    | undefined;
  if (!m) throw new UserError(`Question #${questionId} is in no duplicate cluster; find duplicates first.`, 'not_found');
  if (m.representative === questionId) throw new UserError(`Question #${questionId} is its cluster's representative: it is the one kept.`, 'representative');
  db.prepare('UPDATE dup_members SET proposed = ? WHERE question_id = ?').run(include ? 1 : 0, questionId);
}

/** What the current proposal would do, for the CLI and the panel's summary. */
export function proposalSummary(project: Project): { clusters: number; wouldRemove: number; numbersDiffer: number; lastApplied: { id: number; excluded: number; appliedAt: string } | null } {
  const db = project.db;
  const c = db.prepare('SELECT COUNT(*) AS n FROM dup_clusters').get() as { n: number };
  const w = db
    .prepare(
      `SELECT COUNT(*) AS n FROM dup_members m JOIN questions q ON q.id = m.question_id LEFT JOIN dup_keep k ON k.question_id = m.question_id
       WHERE m.proposed = 1 AND q.excluded = 0 AND k.question_id IS NULL`,
    )
    .get() as { n: number };
  const d = db.prepare('SELECT COUNT(*) AS n FROM dup_members WHERE numbers_differ = 1').get() as { n: number };
  const last = db.prepare('SELECT id, excluded, applied_at AS appliedAt FROM dedup_applications WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1').get() as
    | { id: number; excluded: number; appliedAt: string }
    | undefined;
  return { clusters: c.n, wouldRemove: w.n, numbersDiffer: d.n, lastApplied: last ?? null };
}

export interface ClusterRow {
  id: number;
  kind: 'exact' | 'near';
  representative: number;
  size: number;
  members: { question_id: number; similarity: number; excluded: number; kept: boolean; proposed: boolean; numbers_differ: boolean; text: string }[];
}

export function listClusters(project: Project, offset = 0, limit = 50): { total: number; clusters: ClusterRow[] } {
  const db = project.db;
  const total = (db.prepare('SELECT COUNT(*) AS n FROM dup_clusters').get() as { n: number }).n;
  const cs = db.prepare('SELECT id, kind, representative FROM dup_clusters ORDER BY id LIMIT ? OFFSET ?').all(limit, offset) as Omit<ClusterRow, 'members' | 'size'>[];
  // The text (up to 2,000 characters) lets the panel show the words in which members differ.
  const ms = db.prepare(
    `SELECT m.question_id, m.similarity, q.excluded, (k.question_id IS NOT NULL) AS kept, m.proposed, m.numbers_differ, substr(q.question, 1, 2000) AS text
     FROM dup_members m JOIN questions q ON q.id = m.question_id LEFT JOIN dup_keep k ON k.question_id = m.question_id
     WHERE m.cluster_id = ? ORDER BY (m.question_id = ?) DESC, m.similarity DESC, m.question_id`,
  );
  type Raw = Omit<ClusterRow['members'][number], 'kept' | 'proposed' | 'numbers_differ'> & { kept: number; proposed: number; numbers_differ: number };
  return {
    total,
    clusters: cs.map((c) => {
      const members = (ms.all(c.id, c.representative) as Raw[]).map((m) => ({ ...m, kept: !!m.kept, proposed: !!m.proposed, numbers_differ: !!m.numbers_differ }));
      return { ...c, size: members.length, members };
    }),
  };
}

/** Recomputes a cluster's proposal around its representative (numbers compared again, keeps honoured). */
function reproposeCluster(project: Project, clusterId: number): void {
  const db = project.db;
  const c = db.prepare('SELECT representative FROM dup_clusters WHERE id = ?').get(clusterId) as { representative: number };
  const members = db
    .prepare('SELECT m.question_id, q.question, (k.question_id IS NOT NULL) AS kept FROM dup_members m JOIN questions q ON q.id = m.question_id LEFT JOIN dup_keep k ON k.question_id = m.question_id WHERE m.cluster_id = ?')
    .all(clusterId) as { question_id: number; question: string; kept: number }[];
  const repNums = numbersOf(members.find((m) => m.question_id === c.representative)?.question ?? '');
  const upd = db.prepare('UPDATE dup_members SET proposed = ?, numbers_differ = ? WHERE question_id = ?');
  for (const m of members) {
    const rep = m.question_id === c.representative;
    const differ = !rep && numbersOf(m.question) !== repNums;
    upd.run(!rep && !differ && !m.kept ? 1 : 0, differ ? 1 : 0, m.question_id);
  }
}

/**
 * The user's override: keep this question although dedup clustered it (it is never proposed for removal,
 * and an earlier applied dedup's exclusion of it is lifted). With `only`, it becomes the cluster's
 * representative and the others are proposed as its duplicates — excluded only when the proposal is applied.
 */
export function keepQuestion(project: Project, questionId: number, only = false): { cluster: number | null } {
  const db = project.db;
  const member = db.prepare('SELECT cluster_id FROM dup_members WHERE question_id = ?').get(questionId) as { cluster_id: number } | undefined;
  if (!db.prepare('SELECT 1 FROM questions WHERE id = ?').get(questionId)) {
    throw new UserError(`There is no question #${questionId} in this project.`, 'not_found');
  }
  db.transaction(() => {
    db.prepare('INSERT OR IGNORE INTO dup_keep (question_id, created_at) VALUES (?, ?)').run(questionId, now());
    db.prepare(`UPDATE questions SET excluded = 0, exclude_reason = NULL WHERE id = ? AND exclude_reason LIKE '${DUP_REASON}%'`).run(questionId);
    if (!member) return;
    if (only) {
      db.prepare('UPDATE dup_clusters SET representative = ? WHERE id = ?').run(questionId, member.cluster_id);
      db.prepare('DELETE FROM dup_keep WHERE question_id IN (SELECT question_id FROM dup_members WHERE cluster_id = ? AND question_id != ?)').run(member.cluster_id, questionId);
    }
    reproposeCluster(project, member.cluster_id);
  })();
  return { cluster: member?.cluster_id ?? null };
}

/** Withdraws a keep: the question is proposed again (not excluded) if it is not its cluster's representative. */
export function unkeepQuestion(project: Project, questionId: number): void {
  const db = project.db;
  db.transaction(() => {
    db.prepare('DELETE FROM dup_keep WHERE question_id = ?').run(questionId);
    const m = db.prepare('SELECT cluster_id FROM dup_members WHERE question_id = ?').get(questionId) as { cluster_id: number } | undefined;
    if (m) reproposeCluster(project, m.cluster_id);
  })();
}
