import { describeStepStrings } from '../../i18n/bundle-checks';
import { en, zhCN } from './rubric-i18n';

describeStepStrings('rubric', en, zhCN);
