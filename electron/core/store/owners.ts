// Which electron/core folder owns each table (issue 16 §3). Only the owner's files write SQL that names
// the table; every other domain calls the owner's functions (Signal's DataInterface is the model: one
// place lists every query of a domain). `ownership.test.ts` scans the engine and the CLI for SQL that
// names a table of another folder, and fails on any not in its shrinking list of known exceptions.
// A new table in a migration needs a row here (the test fails without one).

/** table → the electron/core folder that owns it. */
export const TABLE_OWNERS: Readonly<Record<string, string>> = {
  // store: the project itself.
  meta: 'store',
  // jobs: durable jobs and their items.
  jobs: 'jobs',
  job_items: 'jobs',
  // forms: each step's saved form.
  form_state: 'forms',
  // pool: questions in, deduplication, decontamination, held-out sets.
  questions: 'pool',
  questions_fts: 'pool',
  imports: 'pool',
  import_rejects: 'pool',
  dup_clusters: 'pool',
  dup_members: 'pool',
  dup_keep: 'pool',
  dedup_applications: 'pool',
  dedup_applied_questions: 'pool',
  contamination: 'pool',
  evalsets: 'pool',
  evalset_items: 'pool',
  // teacher: teachers and the generation settings.
  teachers: 'teacher',
  generation_settings: 'teacher',
  // traces: the teacher's reasoning traces, however they were made (generated, imported, regenerated).
  traces: 'traces',
  // verify: verdicts, the judge's cache, rubrics.
  verdicts: 'verify',
  judge_cache: 'verify',
  rubrics: 'verify',
  rubric_verdicts: 'verify',
  rubric_marks: 'verify',
  // embed: embedding models, vectors, clusters.
  embedding_models: 'embed',
  question_embeddings: 'embed',
  embedding_clusters: 'embed',
  // docs: documents, pages, chunks and the questions synthesised from them.
  documents: 'docs',
  document_pages: 'docs',
  chunks: 'docs',
  question_chunks: 'docs',
  synth_outcomes: 'docs',
  // augment: variants and pseudo-labels.
  question_variants: 'augment',
  pseudo_labels: 'augment',
  augment_outcomes: 'augment',
  // curate: curation runs, decisions, labels, the selection.
  curation_runs: 'curate',
  curation_decisions: 'curate',
  curation_overrides: 'curate',
  curation_taxonomies: 'curate',
  curation_token_counts: 'curate',
  domain_labels: 'curate',
  selection: 'curate',
  // review: reviews, revisions, the decision log, bundles.
  reviews: 'review',
  review_revisions: 'review',
  review_decision_log: 'review',
  review_pending_merges: 'review',
  review_bundle_imports: 'review',
  review_settings: 'review',
  // train: training runs and their events.
  train_runs: 'train',
  train_events: 'train',
  // eval: models under evaluation, benchmarks, runs, results.
  eval_models: 'eval',
  eval_benchmarks: 'eval',
  eval_benchmark_items: 'eval',
  eval_runs: 'eval',
  eval_run_questions: 'eval',
  eval_results: 'eval',
};

