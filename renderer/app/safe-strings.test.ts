import { describeStepStrings } from '../i18n/bundle-checks';
import { en, zhCN } from './safe-strings';

describeStepStrings('safe', en, zhCN);
