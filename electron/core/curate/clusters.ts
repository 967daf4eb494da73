import { ensureClustersSync, type ClusterInfo } from '../embed/clusters';
import { embedModelKey } from '../embed/job';
import { missingCount } from '../embed/store';
import type { Project } from '../store/project';
import type { Recipe } from './recipe';
import { labelsOf, replaceClusterLabels } from './taxonomy';
import { isUserError } from '../util/errors';
import { message, type Notes } from '../util/messages';

/** The domain of a question without a vector of the chosen model. */
export const NOT_EMBEDDED = 'not embedded';

export interface ClusterSummary extends ClusterInfo {
  model: string;
  modelDir: string;
  /** Pool questions still without a vector of this model. */
  missing: number;
}

/**
 * Domains from embedding clusters: each question's k-means cluster ("cluster 7 of 20") over the vectors of
 * the chosen model. Stored clusters are reused while the vectors are unchanged; otherwise k-means runs now.
 */
export function clusterDomains(project: Project, c: Recipe['diversity']['clusters'], notes: Notes): { labels: Map<number, string>; summary: ClusterSummary | null } {
  if (!c.modelDir) {
    notes.add(
      message(
        'curate_clusters_no_model',
        {},
        'Domains come from embedding clusters, but no embedding model folder is chosen: choose one and run the embedding job; until then every question is in the domain "not embedded".',
      ),
    );
    return { labels: new Map(), summary: null };
  }
  const model = embedModelKey(project, c.modelDir, c.dtype, c.maxLength);
  const missing = missingCount(project.db, model);
  let info: ClusterInfo;
  try {
    info = ensureClustersSync(project, { model, k: c.k, seed: c.seed }, replaceClusterLabels);
  } catch (e) {
    if (!isUserError(e) || e.code !== 'clusters_no_vectors') throw e;
    // The UserError's own code: its sentence is translated as errors.clusters_no_vectors.
    notes.add(message('clusters_no_vectors', {}, e.message));
    return { labels: new Map(), summary: null };
  }
  if (missing > 0) {
    notes.add(message('curate_clusters_missing', { n: missing }, `${missing} questions have no embedding of this model yet; they are in the domain "${NOT_EMBEDDED}" (run the embedding job to include them).`));
  }
  return { labels: labelsOf(project.db, info.taxonomy), summary: { ...info, model, modelDir: c.modelDir, missing } };
}
