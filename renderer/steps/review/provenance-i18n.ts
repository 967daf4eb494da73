import i18next from 'i18next';

/** Strings of the Review view's provenance block (review.provenance.*), English and Simplified Chinese. */
export const en = {
  title: 'Where this question came from',
  synthesized: 'Written by the teacher from a passage of your documents.',
  variantOf: 'A variant of question #{{id}}:',
  parentGone: 'The parent question #{{id}} is no longer in the pool.',
  parentSource: "The parent question's source",
  pseudo: 'The reference is a pseudo-label: the teacher agreed with itself {{votes}} times out of {{samples}}; it was not checked by a person.',
};

export const zhCN: typeof en = {
  title: '这道题的来源',
  synthesized: '由教师模型根据你的文档段落编写。',
  variantOf: '第 #{{id}} 题的变体：',
  parentGone: '原题 #{{id}} 已不在题库中。',
  parentSource: '原题的出处',
  pseudo: '参考答案是伪标签：教师模型在 {{samples}} 次采样中有 {{votes}} 次给出相同答案，未经人工核对。',
};

function register(): void {
  i18next.addResourceBundle('en', 'translation', { review: { provenance: en } }, true, true);
  i18next.addResourceBundle('zh-CN', 'translation', { review: { provenance: zhCN } }, true, true);
}

if (i18next.isInitialized) register();
else i18next.on('initialized', register);
