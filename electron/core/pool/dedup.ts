import type { Project } from '../store/project';
import { UserError } from '../util/errors';
import { findDuplicates, jaccard, type NearDupOptions } from './minhash';

export interface DedupSummary {
  checked: number;
  clusters: number;
  removed: number;
  exactClusters: number;
  nearClusters: number;
  candidates: number;
  ms: number;
}

const DUP_REASON = 'duplicate of #';
const now = () => new Date().toISOString();

/**
 * Deduplicates the whole pool: exact and near duplicates form clusters; each keeps its representative
 * (a question the user chose to keep, else the oldest) and the others are excluded with the reason
 * "duplicate of #ID". A re-run replaces the previous clusters; the user's keeps survive it.
 */
export function runDedup(project: Project, opts: NearDupOptions = {}): DedupSummary {
  const t0 = performance.now();
  const threshold = opts.threshold ?? 0.8;
  if (!(threshold > 0 && threshold <= 1)) throw new UserError(`The dedup threshold must be above 0 and at most 1, not ${threshold}.`, 'bad_threshold');
  const db = project.db;
  const qs = db.prepare('SELECT id, question FROM questions ORDER BY id').all() as { id: number; question: string }[];
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
  let removed = 0;
  let exactClusters = 0;
  let nearClusters = 0;
  const ts = now();
  db.transaction(() => {
    db.prepare(`UPDATE questions SET excluded = 0, exclude_reason = NULL WHERE exclude_reason LIKE '${DUP_REASON}%'`).run();
    db.prepare('DELETE FROM dup_members').run();
    db.prepare('DELETE FROM dup_clusters').run();
    const insC = db.prepare('INSERT INTO dup_clusters (kind, representative, threshold, created_at) VALUES (?, ?, ?, ?)');
    const insM = db.prepare('INSERT INTO dup_members (question_id, cluster_id, similarity) VALUES (?, ?, ?)');
    const excl = db.prepare('UPDATE questions SET excluded = 1, exclude_reason = ? WHERE id = ? AND excluded = 0');
    for (const members of groups.values()) {
      const keptHere = members.filter((i) => kept.has(qs[i]!.id));
      const rep = keptHere.length ? Math.min(...keptHere) : Math.min(...members);
      // Exact-only when every member joined through an identical text.
      const exact = members.every((i) => i === members[0] || exactPair.has(`${members[0]}:${i}`));
      if (exact) exactClusters++;
      else nearClusters++;
      const cid = Number(insC.run(exact ? 'exact' : 'near', qs[rep]!.id, threshold, ts).lastInsertRowid);
      const repSh = res.shingles[rep]!;
      for (const i of members) {
        const sh = res.shingles[i]!;
        const sim = i === rep ? 1 : sh.length === 0 || repSh.length === 0 ? 1 : jaccard(repSh, sh);
        insM.run(qs[i]!.id, cid, Math.round(sim * 1000) / 1000);
        if (i !== rep && !kept.has(qs[i]!.id)) {
          excl.run(`${DUP_REASON}${qs[rep]!.id}`, qs[i]!.id);
          removed++;
        }
      }
    }
  })();
  return { checked: qs.length, clusters: groups.size, removed, exactClusters, nearClusters, candidates: res.candidates, ms: Math.round(performance.now() - t0) };
}

export interface ClusterRow {
  id: number;
  kind: 'exact' | 'near';
  representative: number;
  size: number;
  members: { question_id: number; similarity: number; excluded: number; kept: boolean; preview: string }[];
}

export function listClusters(project: Project, offset = 0, limit = 50): { total: number; clusters: ClusterRow[] } {
  const db = project.db;
  const total = (db.prepare('SELECT COUNT(*) AS n FROM dup_clusters').get() as { n: number }).n;
  const cs = db.prepare('SELECT id, kind, representative FROM dup_clusters ORDER BY id LIMIT ? OFFSET ?').all(limit, offset) as Omit<ClusterRow, 'members' | 'size'>[];
  const ms = db.prepare(
    `SELECT m.question_id, m.similarity, q.excluded, (k.question_id IS NOT NULL) AS kept, substr(q.question, 1, 200) AS preview
     FROM dup_members m JOIN questions q ON q.id = m.question_id LEFT JOIN dup_keep k ON k.question_id = m.question_id
     WHERE m.cluster_id = ? ORDER BY (m.question_id = ?) DESC, m.similarity DESC, m.question_id`,
  );
  return {
    total,
    clusters: cs.map((c) => {
      const members = (ms.all(c.id, c.representative) as (ClusterRow['members'][number] & { kept: number | boolean })[]).map((m) => ({ ...m, kept: !!m.kept }));
      return { ...c, size: members.length, members };
    }),
  };
}

/**
 * The user's override: keep this question although dedup clustered it. With `only`, it becomes the
 * cluster's representative and the others (unless kept themselves) are excluded as its duplicates.
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
    if (!member || !only) return;
    db.prepare('UPDATE dup_clusters SET representative = ? WHERE id = ?').run(questionId, member.cluster_id);
    const others = db
      .prepare('SELECT m.question_id FROM dup_members m LEFT JOIN dup_keep k ON k.question_id = m.question_id WHERE m.cluster_id = ? AND m.question_id != ?')
      .all(member.cluster_id, questionId) as { question_id: number }[];
    const unkeep = db.prepare('DELETE FROM dup_keep WHERE question_id = ?');
    const excl = db.prepare(`UPDATE questions SET excluded = 1, exclude_reason = ? WHERE id = ? AND (excluded = 0 OR exclude_reason LIKE '${DUP_REASON}%')`);
    for (const o of others) {
      unkeep.run(o.question_id);
      excl.run(`${DUP_REASON}${questionId}`, o.question_id);
    }
  })();
  return { cluster: member?.cluster_id ?? null };
}

/** Withdraws a keep: the question is excluded again if it is not its cluster's representative. */
export function unkeepQuestion(project: Project, questionId: number): void {
  const db = project.db;
  db.transaction(() => {
    db.prepare('DELETE FROM dup_keep WHERE question_id = ?').run(questionId);
    const c = db
      .prepare('SELECT c.representative FROM dup_members m JOIN dup_clusters c ON c.id = m.cluster_id WHERE m.question_id = ?')
      .get(questionId) as { representative: number } | undefined;
    if (c && c.representative !== questionId) {
      db.prepare('UPDATE questions SET excluded = 1, exclude_reason = ? WHERE id = ? AND excluded = 0').run(`${DUP_REASON}${c.representative}`, questionId);
    }
  })();
}
