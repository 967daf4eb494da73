import { describeStepStrings } from '../../i18n/bundle-checks';
import { en, zhCN } from './i18n-prompting';

describeStepStrings('teacherPrompt', en, zhCN);
