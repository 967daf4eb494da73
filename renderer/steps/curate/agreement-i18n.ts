import i18next from 'i18next';

/** Strings of the Curate step's teacher-agreement switches (registered under `curateAgreement`). */
export const en = {
  title: "Teacher's agreement (pseudo-labels)",
  help: 'For questions without a reference, the teacher answered several times and its majority answer became a pseudo-label with an agreement (6/8 = six samples agreed). Questions with a real reference count as agreement 1.',
  dropUnsure: 'Drop teacher-unsure questions',
  dropUnsureHelp: 'Leaves out questions whose pseudo-label agreement is below the minimum set when the pseudo-labels were made, and a trace whose answer is not the majority answer (it would be exported under a pseudo-label it contradicts).',
  preferConsistent: 'Prefer hard-but-consistent questions',
  preferConsistentHelp: 'Ranks by thinking length times agreement: long questions the teacher answers the same way every time come first, ones it guesses at fall back.',
  summary: 'Pseudo-labels in the pool: {{labelled}}, of which teacher unsure: {{unsure}}.',
  none: 'No pseudo-labels yet: make them in the Questions step (Augment & pseudo-labels); until then these switches change nothing.',
  reason: 'the teacher was unsure of the pseudo-label (agreement {{agreement}}, {{votes}} of {{samples}} samples)',
  disagrees: 'this trace\'s answer is not the pseudo-label {{answer}} that {{votes}} of {{samples}} samples agreed on',
};

export const zhCN: typeof en = {
  title: '教师一致性（伪标签）',
  help: '对没有参考答案的题目，教师模型回答多次，多数答案成为伪标签并附一致率（6/8 = 六次采样一致）。有真实参考答案的题目一致率按 1 计。',
  dropUnsure: '丢弃教师不确定的题目',
  dropUnsureHelp: '排除伪标签一致率低于生成伪标签时所设最低值的题目，以及答案不是多数答案的推理轨迹（否则会带着与之矛盾的伪标签被导出）。',
  preferConsistent: '优先选择难且一致的题目',
  preferConsistentHelp: '按思考长度乘以一致率排序：教师每次都答得一样的长题排在前面，靠猜的题目排在后面。',
  summary: '题库中的伪标签：{{labelled}} 个，其中教师不确定：{{unsure}} 个。',
  none: '还没有伪标签：请先在“题目”步骤（扩增与伪标签）中生成；在此之前这些开关不会改变任何结果。',
  reason: '教师对伪标签不确定（一致率 {{agreement}}，{{samples}} 次采样中 {{votes}} 次一致）',
  disagrees: '这条推理轨迹的答案不是伪标签 {{answer}}（{{samples}} 次采样中 {{votes}} 次一致）',
};

function register(): void {
  i18next.addResourceBundle('en', 'translation', { curateAgreement: en }, true, true);
  i18next.addResourceBundle('zh-CN', 'translation', { curateAgreement: zhCN }, true, true);
}

if (i18next.isInitialized) register();
else i18next.on('initialized', register);
