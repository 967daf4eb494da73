import i18next from 'i18next';

/**
 * Strings of the Questions step's "Augment & pseudo-labels" tab and of the pseudo-label badge (shown in the
 * Questions and Traces views), English and Simplified Chinese, registered under `distil.*`.
 */
export const en = {
  tab: 'Augment & pseudo-labels',
  augment: {
    title: 'Augment questions',
    help: 'The teacher writes variants of your questions; each keeps a link to its parent. New numbers and harder variants are solved again for their answer (never copied). Benchmark and held-out items are refused, and variants that only repeat their parent are dropped.',
    teacher: 'Teacher',
    noTeacher: 'Add a teacher in the Teacher step first.',
    ids: 'Question ids (comma-separated; empty: the whole pool)',
    idsPlaceholder: 'e.g. 12, 15, 40',
    kinds: 'Kinds of variant',
    kind: { paraphrase: 'Paraphrase', numbers: 'New numbers', harder: 'Harder', translate: 'Translate zh↔en' },
    start: 'Write variants',
    badIds: '"{{value}}" is not a question id; write ids separated by commas.',
    noKinds: 'Choose at least one kind of variant.',
    running: 'Augmentation job {{job}} is running: {{done}} of {{total}}.',
    summary: 'Last augmentation: {{added}} added, {{dropped}} dropped, {{refused}} refused.',
    parent: 'Parent',
    status: 'Outcome',
    outcome: { added: 'added', dropped: 'dropped', refused: 'refused' },
    reason: 'Why',
  },
  pseudo: {
    title: 'Pseudo-labels for questions without an answer',
    help: 'The teacher answers each question without a reference K times; equivalent answers (0.5, 1/2, \\frac{1}{2}) vote together and the largest group becomes a pseudo-label with its agreement. It is never taken for a checked reference: it is shown with a badge, and below the minimum agreement the question is marked "teacher unsure".',
    samples: 'Samples per question (K)',
    minAgreement: 'Minimum agreement',
    judge: 'Judge for free-text answers (optional)',
    noJudge: 'none: the rules only',
    start: 'Make pseudo-labels',
    started: 'Started job {{job}} ({{kind}}); progress is in the Jobs panel.',
    summary: '{{labelled}} of {{unanswered}} questions without an answer have a pseudo-label; {{unsure}} are "teacher unsure".',
    histogram: 'Agreement',
    questions: 'Questions',
  },
  badge: {
    label: 'Pseudo-label {{votes}}/{{samples}}',
    unsure: 'teacher unsure',
    title: "The teacher's majority answer over {{samples}} samples ({{votes}} agreed), not a checked reference.",
    answer: 'Pseudo-label (teacher majority)',
    variant: '{{kind}} of #{{parent}}',
    origin: { parent: "answer: the parent's", rederived: 'answer: solved again by the teacher', none: 'no answer yet' },
  },
};

export const zhCN: typeof en = {
  tab: '扩增与伪标签',
  augment: {
    title: '扩增题目',
    help: '由教师模型改写你的题目；每个变体都链接到原题。换数字和加难的变体会重新求解得到答案（绝不照抄）。基准测试和保留集中的题目会被拒绝，只是重复原题的变体会被丢弃。',
    teacher: '教师模型',
    noTeacher: '请先在“教师模型”步骤中添加一个教师模型。',
    ids: '题目编号（用逗号分隔；留空表示整个题库）',
    idsPlaceholder: '例如 12, 15, 40',
    kinds: '变体类型',
    kind: { paraphrase: '改写', numbers: '换数字', harder: '加难', translate: '中英互译' },
    start: '生成变体',
    badIds: '“{{value}}”不是题目编号；请用逗号分隔编号。',
    noKinds: '请至少选择一种变体类型。',
    running: '扩增任务 {{job}} 正在运行：{{done}} / {{total}}。',
    summary: '上次扩增：新增 {{added}}，丢弃 {{dropped}}，拒绝 {{refused}}。',
    parent: '原题',
    status: '结果',
    outcome: { added: '已新增', dropped: '已丢弃', refused: '已拒绝' },
    reason: '原因',
  },
  pseudo: {
    title: '为没有答案的题目生成伪标签',
    help: '教师模型对每道没有参考答案的题目作答 K 次；等价的答案（0.5、1/2、\\frac{1}{2}）合并计票，票数最多的一组成为伪标签，并记录一致率。伪标签绝不会被当作已核对的参考答案：它带有标记显示；一致率低于下限的题目标为“教师不确定”。',
    samples: '每题采样次数（K）',
    minAgreement: '最低一致率',
    judge: '自由文本答案的评判模型（可选）',
    noJudge: '不使用：仅用规则',
    start: '生成伪标签',
    started: '已启动任务 {{job}}（{{kind}}）；进度见任务面板。',
    summary: '没有答案的 {{unanswered}} 道题目中，{{labelled}} 道已有伪标签；其中 {{unsure}} 道为“教师不确定”。',
    histogram: '一致率',
    questions: '题目数',
  },
  badge: {
    label: '伪标签 {{votes}}/{{samples}}',
    unsure: '教师不确定',
    title: '教师模型在 {{samples}} 次采样中的多数答案（{{votes}} 次一致），并非已核对的参考答案。',
    answer: '伪标签（教师多数答案）',
    variant: '#{{parent}} 的{{kind}}',
    origin: { parent: '答案：沿用原题', rederived: '答案：由教师重新求解', none: '暂无答案' },
  },
};

function register(): void {
  i18next.addResourceBundle('en', 'translation', { distil: en }, true, true);
  i18next.addResourceBundle('zh-CN', 'translation', { distil: zhCN }, true, true);
}

if (i18next.isInitialized) register();
else i18next.on('initialized', register);
