import { describeStepStrings } from '../../i18n/bundle-checks';
import { en, zhCN } from './i18n-presets';

describeStepStrings('curatePresets', en, zhCN);
