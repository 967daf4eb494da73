export { Embedder, type EmbedBatch } from './embedder';
export { resolveEmbedModel, ONNX_FILE, type EmbedModel, type EmbedDtype } from './model';
export { kmeans, kmeansAsync, type KMeansResult } from './kmeans';
export { EMBED_KIND, embedKind, embedParams, startEmbed, embedModelKey, type EmbedParams, type EmbedInput } from './job';
export { ensureClusters, ensureClustersSync, clustersUpToDate, clusterLabel, clusterTaxonomy, parseClusterLabel, type ClusterInfo, type ClusterLabelWriter, type ClusterSpec } from './clusters';
export { listModels, loadVectors, missingCount, type ModelStatus } from './store';
