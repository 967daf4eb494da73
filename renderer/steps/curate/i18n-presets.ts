import i18next from 'i18next';

/** Strings of the presets, the plain stage summaries, pass-rate bands and the Advanced disclosures (`curatePresets`). */
export const en = {
  title: 'Start from a published recipe',
  help: 'One click fills every knob below; you can still change any of them.',
  needModels: 'Register the models that judge difficulty in the Teacher step, generate with them and check the answers; the preset then reads their results.',
  s1: {
    name: 's1',
    summary: 's1 (1,000 samples): quality checks, then drop what a filter model solves, then pick evenly across domains, longer thinking first.',
  },
  limo: {
    name: 'LIMO',
    summary: 'LIMO (817 samples): drop what a weak model solves in any of 4 tries, keep what a strong model solves only 1–3 of 8 times, then the best reasoning chains first.',
  },
  'light-r1': {
    name: 'Light-R1 / OpenThoughts',
    summary: 'Light-R1 / OpenThoughts: keep what the chosen model solves at most 4 of 8 times, drop very short or very long thinking, keep up to 4 checked answers per question.',
  },
  advanced: 'Advanced',
  summary: {
    qualityOff: 'Off: every question goes on to the difficulty stage.',
    quality: 'Keeps questions whose trace finished with thinking and a final answer, without figures, bundled sub-problems or loops.',
    qualityRight: 'Only answers checked right are kept.',
    qualityLength: 'Thinking must be {{min}}–{{max}} {{unit}} long.',
    difficultyOff: 'Off: no question is dropped for being too easy.',
    difficultyNone: 'No difficulty check yet: pick a model that judges difficulty below.',
    filter: 'Drops questions that {{models}} solves at least {{n}} time(s).',
    bandNever: 'Keeps questions the {{name}} model ({{model}}) gets wrong in every try ({{k}} tries).',
    band: 'Keeps questions the {{name}} model ({{model}}) solves only {{min}}–{{max}} of {{k}} tries.',
    bandStudent: 'Keeps questions the student ({{model}}) solves only {{min}}–{{max}} of {{k}} tries.',
    minTokens: 'Drops thinking shorter than {{n}} tokens.',
    diversityOff: 'Takes the {{target}} questions with the longest thinking.',
    diversityOffChain: 'Takes the {{target}} questions with the best reasoning chains (long, checking itself, trying alternatives).',
    diversity: 'Picks {{target}} questions spread evenly over the subject areas; inside an area, longer thinking is much more likely to come first.',
    diversitySize: 'Picks {{target}} questions from the subject areas in proportion to their size; inside an area, longer thinking is much more likely to come first.',
    diversityChain: 'Picks {{target}} questions spread over the subject areas; inside an area, better reasoning chains come first.',
    diversityRandom: 'Picks {{target}} questions spread over the subject areas, at random inside an area.',
    traces: 'Keeps up to {{m}} checked-right answers per question.',
  },
  bands: {
    title: 'Pass-rate bands',
    help: 'A band keeps a question only when a model solved it a given number of times out of k tries (its stored, checked answers). A question the model never tried is not judged.',
    name: 'Band name',
    model: 'Model',
    role: 'Who',
    roleFilter: 'a filter model',
    roleStudent: 'the student (register its folder as a local teacher)',
    k: 'Tries (k)',
    min: 'Solved at least',
    max: 'Solved at most',
    add: 'Add a band',
    remove: 'Remove band {{name}}',
    needTeacher: 'Register a model in the Teacher step to add a band.',
  },
  tracesKept: '{{n}} answers kept',
  chainUnit: 'chain score',
  rankChain: 'best reasoning chain first (LIMO: length, self-checks, alternatives)',
  tracesPerQuestion: 'Checked-right answers kept per question',
  tracesHelp: '1 keeps one answer (s1); more keeps several verified answers of the same question (rejection sampling).',
  reason: {
    outside_band: 'Outside the band “{{name}}”: {{model}} solved {{solved}} of {{attempts}} tries; the band keeps {{min}}–{{max}} of {{k}}.',
    best_chain: 'Among the best reasoning chains (pick #{{order}}; chain score {{score}}).',
  },
  explain: {
    bands: 'Pass-rate bands',
    inside: 'inside',
    outside: 'outside',
    unjudged: 'not judged (no checked try)',
    band: '“{{name}}” ({{model}}): solved {{solved}} of {{attempts}}, keeps {{min}}–{{max}} of {{k}} → {{where}}',
    traces: 'Answers kept: {{n}}',
    chain: 'Chain score {{score}}: {{words}} words, {{verify}} self-checks, {{explore}} alternatives',
  },
};

export const zhCN: typeof en = {
  title: '从已发表的配方开始',
  help: '一键填好下面所有设置；之后仍可逐项修改。',
  needModels: '请先在“教师”步骤中登记用来判断难度的模型，用它们生成并校验答案；预设会读取这些结果。',
  s1: {
    name: 's1',
    summary: 's1（1,000 条）：先做质量检查，再剔除过滤模型能解出的题，最后在各领域间均匀挑选，思考较长的优先。',
  },
  limo: {
    name: 'LIMO',
    summary: 'LIMO（817 条）：剔除弱模型 4 次尝试中解出过的题，保留强模型 8 次中只解出 1–3 次的题，再按推理链质量从高到低选取。',
  },
  'light-r1': {
    name: 'Light-R1 / OpenThoughts',
    summary: 'Light-R1 / OpenThoughts：保留所选模型 8 次中最多解出 4 次的题，剔除过短或过长的思考，每题最多保留 4 个校验正确的答案。',
  },
  advanced: '高级',
  summary: {
    qualityOff: '已关闭：所有题目直接进入难度阶段。',
    quality: '保留轨迹已完成、有思考过程和最终答案、不含图片、不捆绑多个小题、没有原地打转的题目。',
    qualityRight: '只保留校验正确的答案。',
    qualityLength: '思考长度须在 {{min}}–{{max}} {{unit}} 之间。',
    difficultyOff: '已关闭：不会因题目太简单而剔除。',
    difficultyNone: '尚未设置难度检查：请在下面选择用来判断难度的模型。',
    filter: '剔除 {{models}} 至少解出 {{n}} 次的题目。',
    bandNever: '保留“{{name}}”模型（{{model}}）每次尝试都答错的题目（共 {{k}} 次）。',
    band: '保留“{{name}}”模型（{{model}}）在 {{k}} 次尝试中只解出 {{min}}–{{max}} 次的题目。',
    bandStudent: '保留学生模型（{{model}}）在 {{k}} 次尝试中只解出 {{min}}–{{max}} 次的题目。',
    minTokens: '剔除思考少于 {{n}} 个 token 的轨迹。',
    diversityOff: '选取思考最长的 {{target}} 道题。',
    diversityOffChain: '选取推理链最好的 {{target}} 道题（较长、会自我检查、会尝试其他思路）。',
    diversity: '在各学科领域间均匀选取 {{target}} 道题；同一领域内，思考越长越可能先被选中。',
    diversitySize: '按各学科领域的大小比例选取 {{target}} 道题；同一领域内，思考越长越可能先被选中。',
    diversityChain: '在各学科领域间选取 {{target}} 道题；同一领域内，推理链越好越先被选中。',
    diversityRandom: '在各学科领域间选取 {{target}} 道题，领域内随机。',
    traces: '每题最多保留 {{m}} 个校验正确的答案。',
  },
  bands: {
    title: '通过率区间',
    help: '只有当某个模型在 k 次尝试（已存储并校验的答案）中解出的次数落在区间内时，才保留该题。模型从未尝试过的题不做判断。',
    name: '区间名称',
    model: '模型',
    role: '角色',
    roleFilter: '过滤模型',
    roleStudent: '学生模型（把它的文件夹登记为本地教师）',
    k: '尝试次数（k）',
    min: '至少解出',
    max: '至多解出',
    add: '添加区间',
    remove: '删除区间 {{name}}',
    needTeacher: '请先在“教师”步骤中登记一个模型，才能添加区间。',
  },
  tracesKept: '保留 {{n}} 个答案',
  chainUnit: '推理链得分',
  rankChain: '推理链最好的优先（LIMO：长度、自我检查、尝试其他思路）',
  tracesPerQuestion: '每题保留的校验正确答案数',
  tracesHelp: '1 表示每题只保留一个答案（s1）；更大时同一题保留多个校验正确的答案（拒绝采样）。',
  reason: {
    outside_band: '不在区间“{{name}}”内：{{model}} 在 {{attempts}} 次尝试中解出 {{solved}} 次；该区间保留 {{k}} 次中解出 {{min}}–{{max}} 次的题。',
    best_chain: '属于推理链最好的一批（第 {{order}} 个选中；推理链得分 {{score}}）。',
  },
  explain: {
    bands: '通过率区间',
    inside: '在区间内',
    outside: '在区间外',
    unjudged: '未判断（没有已校验的尝试）',
    band: '“{{name}}”（{{model}}）：{{attempts}} 次中解出 {{solved}} 次，保留 {{k}} 次中 {{min}}–{{max}} 次 → {{where}}',
    traces: '保留的答案：{{n}} 个',
    chain: '推理链得分 {{score}}：{{words}} 个词，{{verify}} 次自我检查，{{explore}} 次尝试其他思路',
  },
};

function register(): void {
  i18next.addResourceBundle('en', 'translation', { curatePresets: en }, true, true);
  i18next.addResourceBundle('zh-CN', 'translation', { curatePresets: zhCN }, true, true);
}

if (i18next.isInitialized) register();
else i18next.on('initialized', register);
