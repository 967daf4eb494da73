import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../../electron/core/api/router';

type Out = inferRouterOutputs<AppRouter>['pool'];
type In = inferRouterInputs<AppRouter>['pool'];

export type PreviewResult = Out['preview'];
export type ImportOutcome = Out['import'];
export type PoolPage = Out['list'];
export type PoolRow = PoolPage['rows'][number];
export type Facets = Out['facets'];
export type ListInput = In['list'];
export type Filter = Omit<ListInput, 'sort' | 'dir' | 'offset' | 'limit'>;
export type SortKey = NonNullable<ListInput['sort']>;
export type Format = NonNullable<In['preview']['format']>;
export type Shape = NonNullable<In['preview']['shape']>;
export type ClusterPage = Out['dedup']['clusters'];
export type Evalset = Out['evalsets']['list'][number];

/** The mapping fields the screen offers (messages/input exist for the ShareGPT and Alpaca shapes only). */
export const MAP_FIELDS = ['question', 'answer', 'solution', 'domain', 'id', 'thinking', 'attempt'] as const;
export type MapField = (typeof MAP_FIELDS)[number];
export type Mapping = Partial<Record<MapField, string>>;

export const FORMATS: Format[] = ['auto', 'jsonl', 'json', 'csv', 'tsv', 'parquet'];
export const SHAPES: Shape[] = ['auto', 'plain', 's1k', 'sharegpt', 'alpaca'];
export const FILE_EXTENSIONS = ['.jsonl', '.json', '.csv', '.tsv', '.parquet', '.jsonl.gz', '.json.gz', '.csv.gz', '.tsv.gz', '.parquet.gz', '.gz'];

/** One question with its traces, contamination and cluster (pool.get). */
export type QuestionDetail = Out['get'];

export interface FlaggedRow {
  question_id: number;
  evalset: string;
  evalset_item: number;
  overlap: string;
  ngram: number;
  question: string;
  excluded: number;
  evalset_question: string | null;
}
