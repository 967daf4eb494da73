import i18next from 'i18next';

/** Strings of the embedding-clusters and difficulty-filter panels (registered under `curateEmbed`). */
export const en = {
  srcClusters: 'Embedding clusters',
  model: 'Embedding model folder',
  modelHelp: 'A local sentence-embedding model exported for transformers.js (config.json, tokenizer.json, onnx/model.onnx), e.g. all-MiniLM-L6-v2 or bge-small, or a sentence-transformers folder to convert. Nothing is downloaded.',
  convertHelp: 'This is a sentence-transformers folder without ONNX files. Convert it once for in-app use: a copy goes into the project’s artifacts/models/ and its vectors are checked against sentence-transformers’ own. The original folder is not changed.',
  convert: 'Convert for in-app use',
  converting: 'Converting… (about a minute for a small model)',
  converted: 'Converted into {{path}}: cosine to sentence-transformers {{fp32}} (fp32) and {{int8}} (int8), lowest of {{n}} sentences.',
  convertedBefore: 'Using the earlier conversion in {{path}}.',
  precision: 'Precision',
  fp32: 'fp32 (onnx/model.onnx)',
  q8: 'int8 (onnx/model_quantized.onnx, faster)',
  k: 'Clusters (k)',
  seed: 'k-means seed',
  status: '{{embedded}} of {{pool}} questions embedded',
  run: 'Compute embeddings',
  resume: 'Embed the remaining {{n}}',
  started: 'Embedding job {{id}} started.',
  progress: '{{done}} of {{total}} questions',
  speed: '{{rate}} questions/s',
  eta: 'about {{time}} left',
  cluster: 'cluster {{n}} of {{k}}',
  notEmbedded: 'not embedded',
  clusters: '{{k}} clusters over {{points}} questions, largest {{largest}}, smallest {{smallest}}',
  filterTitle: 'Run the filter models',
  filterHelp: 'Each checked filter model attempts the questions that pass the quality stage, {{k}} times each (the generate job); then their answers are checked (the verify job). Difficulty then drops what they solve.',
  filterSamples: 'Samples per question (k)',
  filterScope: 'Questions',
  scopeCandidates: 'Those passing the quality stage',
  scopeAll: 'Every pool question',
  filterRun: 'Run filter models',
  filterNeedModels: 'Check at least one filter model above first.',
  phase: {
    generating: 'Filter models are answering',
    checking: 'Checking their answers',
    done: 'Done: difficulty uses their verdicts',
    failed: 'A job of the filter run failed',
    stopped: 'The filter run is paused or cancelled (resume it in the Jobs panel)',
  },
  jobGenerate: 'Answers of {{model}}',
  jobVerify: 'Answer check',
};

type Bundle = { [K in keyof typeof en]: (typeof en)[K] extends string ? string : { [P in keyof (typeof en)[K]]: string } };

export const zhCN: Bundle = {
  srcClusters: '嵌入聚类',
  model: '嵌入模型文件夹',
  modelHelp: '为 transformers.js 导出的本地句向量模型（config.json、tokenizer.json、onnx/model.onnx），例如 all-MiniLM-L6-v2 或 bge-small，也可以是待转换的 sentence-transformers 文件夹。不会下载任何内容。',
  convertHelp: '这是一个没有 ONNX 文件的 sentence-transformers 文件夹。转换一次即可在应用内使用：副本保存在项目的 artifacts/models/ 中，并将其向量与 sentence-transformers 自身的结果进行核对。原文件夹保持不变。',
  convert: '转换为应用内可用',
  converting: '正在转换…（小模型约需一分钟）',
  converted: '已转换到 {{path}}：与 sentence-transformers 的余弦相似度为 {{fp32}}（fp32）和 {{int8}}（int8），取 {{n}} 个句子中的最低值。',
  convertedBefore: '使用之前在 {{path}} 中的转换结果。',
  precision: '精度',
  fp32: 'fp32（onnx/model.onnx）',
  q8: 'int8（onnx/model_quantized.onnx，更快）',
  k: '簇数（k）',
  seed: 'k-means 随机种子',
  status: '已嵌入 {{embedded}} / {{pool}} 道题',
  run: '计算嵌入',
  resume: '嵌入剩余的 {{n}} 道题',
  started: '嵌入任务 {{id}} 已开始。',
  progress: '{{done}} / {{total}} 道题',
  speed: '每秒 {{rate}} 道题',
  eta: '约剩 {{time}}',
  cluster: '第 {{n}} 簇（共 {{k}} 簇）',
  notEmbedded: '未嵌入',
  clusters: '{{k}} 个簇覆盖 {{points}} 道题，最大 {{largest}}，最小 {{smallest}}',
  filterTitle: '运行筛选模型',
  filterHelp: '每个勾选的筛选模型对通过质量阶段的题目各作答 {{k}} 次（生成任务），随后检查其答案（校验任务）。难度阶段会剔除它们能解出的题目。',
  filterSamples: '每题采样数（k）',
  filterScope: '题目范围',
  scopeCandidates: '通过质量阶段的题目',
  scopeAll: '题库中的全部题目',
  filterRun: '运行筛选模型',
  filterNeedModels: '请先在上方勾选至少一个筛选模型。',
  phase: {
    generating: '筛选模型正在作答',
    checking: '正在检查答案',
    done: '完成：难度阶段将使用它们的判定',
    failed: '筛选运行中有任务失败',
    stopped: '筛选运行已暂停或取消（可在任务面板中继续）',
  },
  jobGenerate: '{{model}} 的作答',
  jobVerify: '答案检查',
};

function register(): void {
  i18next.addResourceBundle('en', 'translation', { curateEmbed: en }, true, true);
  i18next.addResourceBundle('zh-CN', 'translation', { curateEmbed: zhCN }, true, true);
}

if (i18next.isInitialized) register();
else i18next.on('initialized', register);
