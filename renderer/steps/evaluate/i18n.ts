import i18next from 'i18next';
import { en } from './strings-en';
import { zhCN } from './strings-zh';

export { en, zhCN };

/** Registers the Evaluate step's strings (strings-en.ts, strings-zh.ts) under `evaluate.*` at module load. */
function register(): void {
  i18next.addResourceBundle('en', 'translation', { evaluate: en }, true, true);
  i18next.addResourceBundle('zh-CN', 'translation', { evaluate: zhCN }, true, true);
}

// The store exists once i18next is initialised (renderer/i18n/index.ts runs first in the app).
if (i18next.isInitialized) register();
else i18next.on('initialized', register);
