import { describeStepStrings } from '../../i18n/bundle-checks';
import { en, zhCN } from './i18n-embed';

describeStepStrings('curateEmbed', en, zhCN);
