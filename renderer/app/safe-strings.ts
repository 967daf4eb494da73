import i18next from 'i18next';

/**
 * Strings of the safety net shared by every step (error boundary, formulas not typeset), English and
 * Simplified Chinese (same keys; safe-strings.test.ts checks it). Registered at module load under `safe.*`,
 * like the steps' bundles, so this does not edit the shared resource files.
 */
export const en = {
  boundary: {
    message: 'This panel could not be shown: {{message}}. Other panels still work.',
    retry: 'Try again',
    nextSample: 'Next sample',
    unknown: 'an unexpected error',
  },
  math: {
    tooLong: 'formula not typeset: longer than {{max}} characters',
    tooDeep: 'formula not typeset: nested deeper than {{max}} levels',
    tooMuch: 'formula not typeset: this text already has {{max}} characters or {{count}} formulas of typeset math',
    invalid: 'formula not typeset: {{message}}',
    failed: 'formula not typeset: the typesetter failed ({{message}})',
  },
  text: {
    failed: 'This text could not be formatted and is shown as written ({{message}}).',
  },
};

export const zhCN: typeof en = {
  boundary: {
    message: '此面板无法显示：{{message}}。其他面板仍可正常使用。',
    retry: '重试',
    nextSample: '下一个样本',
    unknown: '意外错误',
  },
  math: {
    tooLong: '公式未排版：超过 {{max}} 个字符',
    tooDeep: '公式未排版：嵌套超过 {{max}} 层',
    tooMuch: '公式未排版：此文本已排版 {{max}} 个字符或 {{count}} 个公式',
    invalid: '公式未排版：{{message}}',
    failed: '公式未排版：排版器出错（{{message}}）',
  },
  text: {
    failed: '此文本无法格式化，按原样显示（{{message}}）。',
  },
};

function register(): void {
  i18next.addResourceBundle('en', 'translation', { safe: en }, true, true);
  i18next.addResourceBundle('zh-CN', 'translation', { safe: zhCN }, true, true);
}

// renderer/i18n initialises i18next synchronously before the app's modules load; the fallback covers a
// test that imports this file first.
if (i18next.isInitialized) register();
else i18next.on('initialized', register);
