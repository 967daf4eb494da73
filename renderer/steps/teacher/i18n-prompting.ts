import i18next from 'i18next';

/** Strings of a teacher's prompt and reasoning panel and of the "no thinking" offer (registered under `teacherPrompt`). */
export const en = {
  open: 'Prompt and reasoning',
  close: 'Hide prompt and reasoning',
  template: 'Generation prompt template',
  templateHelp:
    'The user turn sent for every question. Placeholders: {question}, {answer} (the reference answer), {domain}, {id}. Other braces, as in \\boxed{}, are sent as they are. An instruction the question already contains is not added a second time.',
  templateDefault: 'Use the default template',
  mode: 'How reasoning is obtained',
  native: 'The teacher reasons by itself (a reasoning field or <think> tags)',
  prompt: 'Ask it to reason inside <think>…</think> (reasoning prompt)',
  split: 'Take the text before its final answer as the thinking (split mode)',
  reasoningPrompt: 'Reasoning prompt',
  reasoningPromptHelp: 'Added after the prompt for every question. Left at the default, the English text is sent with English questions and the Chinese text with Chinese questions.',
  defaultEn: 'Default (English)',
  defaultZh: 'Default (Chinese)',
  useDefault: 'Use the default in the question’s language',
  save: 'Save prompt settings',
  saving: 'Saving…',
  saved: 'Saved. New generation jobs with this teacher use these settings.',
  noThinking: 'No thinking came back: this teacher does not reason by itself, so its traces would have no thinking to learn from.',
  usePrompt: 'Ask it to reason (reasoning prompt)',
  useSplit: 'Use the text before the answer as thinking',
  switched: 'Switched on and tested again.',
};

export const zhCN: typeof en = {
  open: '提示词与推理',
  close: '收起提示词与推理',
  template: '生成提示词模板',
  templateHelp:
    '每道题发送的用户消息。占位符：{question}、{answer}（参考答案）、{domain}、{id}。其他花括号（如 \\boxed{}）原样发送。题目中已包含的指令不会重复添加。',
  templateDefault: '使用默认模板',
  mode: '推理内容从何而来',
  native: '教师模型自行推理（reasoning 字段或 <think> 标签）',
  prompt: '要求它在 <think>…</think> 中推理（推理提示词）',
  split: '把最终答案之前的文字当作思考过程（拆分模式）',
  reasoningPrompt: '推理提示词',
  reasoningPromptHelp: '附加在每道题的提示词之后。保持默认时，英文题目发送英文文本，中文题目发送中文文本。',
  defaultEn: '默认（英文）',
  defaultZh: '默认（中文）',
  useDefault: '按题目语言使用默认文本',
  save: '保存提示词设置',
  saving: '保存中…',
  saved: '已保存。此教师模型之后的生成任务将使用这些设置。',
  noThinking: '没有返回思考过程：此教师模型不会自行推理，其推理轨迹将没有可供学习的思考内容。',
  usePrompt: '要求它推理（推理提示词）',
  useSplit: '把答案之前的文字当作思考过程',
  switched: '已开启并重新测试。',
};

function register(): void {
  i18next.addResourceBundle('en', 'translation', { teacherPrompt: en }, true, true);
  i18next.addResourceBundle('zh-CN', 'translation', { teacherPrompt: zhCN }, true, true);
}

// The store exists once i18next is initialised (renderer/i18n/index.ts runs first in the app).
if (i18next.isInitialized) register();
else i18next.on('initialized', register);
