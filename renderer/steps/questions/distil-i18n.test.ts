import { describeStepStrings } from '../../i18n/bundle-checks';
import { en, zhCN } from './distil-i18n';

describeStepStrings('distil', en, zhCN);
