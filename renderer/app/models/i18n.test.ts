import { describeStepStrings } from '../../i18n/bundle-checks';
import { en, zhCN } from './i18n';

describeStepStrings('models', en, zhCN);
