import { describeStepStrings } from '../../i18n/bundle-checks';
import { en, zhCN } from './agreement-i18n';

describeStepStrings('curateAgreement', en, zhCN);
