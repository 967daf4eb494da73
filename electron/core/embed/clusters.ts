import type { DB, Project } from '../store/project';
import { UserError } from '../util/errors';
import { kmeans, kmeansAsync, type KMeansResult } from './kmeans';
import { loadVectors, vectorSignature, type VectorSet } from './store';

export interface ClusterSpec {
  /** Model identity (see resolveEmbedModel). */
  model: string;
  k: number;
  seed: number;
}

export interface ClusterInfo {
  /** The domain_labels taxonomy holding the labels ("cluster 7 of 20"). */
  taxonomy: string;
  k: number;
  seed: number;
  /** Questions clustered (pool questions with a vector of the model). */
  points: number;
  sizes: number[];
  iterations: number;
  inertia: number;
  /** True when stored clusters matched the current vectors; false when computed now. */
  cached: boolean;
  ms: number;
}

/**
 * Writes a clustering's labels in place of the taxonomy's earlier ones, inside embed's transaction. curate/ owns
 * `domain_labels` and passes its `replaceClusterLabels` (embed may not import curate/: electron/core/layers.mjs).
 */
export type ClusterLabelWriter = (db: DB, taxonomy: string, labels: readonly { questionId: number; label: string }[], createdAt: string) => void;

export const clusterTaxonomy = (s: ClusterSpec) => `clusters:${s.model.slice(0, 12)}:k${s.k}:s${s.seed}`;
/** 1-based, the way explanations read: "cluster 7 of 20". */
export const clusterLabel = (index: number, k: number) => `cluster ${index + 1} of ${k}`;
const CLUSTER_RE = /^cluster (\d+) of (\d+)$/;
export function parseClusterLabel(label: string): { index: number; of: number } | null {
  const m = CLUSTER_RE.exec(label);
  return m ? { index: Number(m[1]), of: Number(m[2]) } : null;
}

interface Row {
  signature: string;
  taxonomy: string;
  iterations: number;
  inertia: number;
  sizes: string;
}

function stored(project: Project, s: ClusterSpec, signature: string): ClusterInfo | null {
  const r = project.db.prepare('SELECT signature, taxonomy, iterations, inertia, sizes FROM embedding_clusters WHERE model = ? AND k = ? AND seed = ?').get(s.model, s.k, s.seed) as Row | undefined;
  if (!r || r.signature !== signature) return null;
  const sizes = JSON.parse(r.sizes) as number[];
  return { taxonomy: r.taxonomy, k: s.k, seed: s.seed, points: sizes.reduce((a, b) => a + b, 0), sizes, iterations: r.iterations, inertia: r.inertia, cached: true, ms: 0 };
}

function check(s: ClusterSpec, v: VectorSet): void {
  if (!Number.isInteger(s.k) || s.k < 2) throw new UserError(`The number of clusters must be a whole number of at least 2 (it is ${s.k}).`, 'clusters_bad_k');
  if (v.ids.length === 0) throw new UserError('No question has an embedding of this model yet; run the embedding job in the Curate step (Diversity → embedding clusters) first.', 'clusters_no_vectors');
  if (s.k > v.ids.length) throw new UserError(`There are ${v.ids.length} embedded questions, fewer than the ${s.k} clusters asked for; choose at most ${v.ids.length} clusters.`, 'clusters_bad_k');
}

function save(project: Project, s: ClusterSpec, signature: string, v: VectorSet, r: KMeansResult, ms: number, writeLabels: ClusterLabelWriter): ClusterInfo {
  const db = project.db;
  const taxonomy = clusterTaxonomy(s);
  const now = new Date().toISOString();
  db.transaction(() => {
    writeLabels(db, taxonomy, v.ids.map((questionId, i) => ({ questionId, label: clusterLabel(r.labels[i] as number, s.k) })), now);
    db.prepare(
      `INSERT OR REPLACE INTO embedding_clusters (model, k, seed, signature, taxonomy, iterations, inertia, sizes, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(s.model, s.k, s.seed, signature, taxonomy, r.iterations, r.inertia, JSON.stringify(r.sizes), now);
  })();
  return { taxonomy, k: s.k, seed: s.seed, points: v.ids.length, sizes: r.sizes, iterations: r.iterations, inertia: r.inertia, cached: false, ms };
}

const OPTS = { maxIter: 100, tol: 0.001 };

/** Cluster labels for a model's vectors, computed now (synchronously) unless stored ones match the vectors. */
export function ensureClustersSync(project: Project, s: ClusterSpec, writeLabels: ClusterLabelWriter): ClusterInfo {
  const signature = vectorSignature(project.db, s.model);
  const hit = stored(project, s, signature);
  if (hit) return hit;
  const t0 = performance.now();
  const v = loadVectors(project.db, s.model);
  check(s, v);
  const r = kmeans(v.data, v.dims, { k: s.k, seed: s.seed, ...OPTS });
  return save(project, s, signature, v, r, Math.round(performance.now() - t0), writeLabels);
}

/** The same, yielding to the event loop between k-means iterations (for the API server). */
export async function ensureClusters(project: Project, s: ClusterSpec, writeLabels: ClusterLabelWriter, onIteration?: (it: number) => void): Promise<ClusterInfo> {
  const signature = vectorSignature(project.db, s.model);
  const hit = stored(project, s, signature);
  if (hit) return hit;
  const t0 = performance.now();
  const v = loadVectors(project.db, s.model);
  check(s, v);
  const r = await kmeansAsync(v.data, v.dims, { k: s.k, seed: s.seed, ...OPTS }, onIteration);
  return save(project, s, signature, v, r, Math.round(performance.now() - t0), writeLabels);
}

/** Whether stored clusters match the current vectors (no k-means needed). */
export function clustersUpToDate(project: Project, s: ClusterSpec): boolean {
  return stored(project, s, vectorSignature(project.db, s.model)) !== null;
}
