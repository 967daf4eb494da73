import { describeStepStrings } from '../../i18n/bundle-checks';
import { en, zhCN } from './i18n';

describeStepStrings('evaluate', en, zhCN);
