import { describeStepStrings } from '../../i18n/bundle-checks';
import { en, zhCN } from './provenance-i18n';

describeStepStrings('review.provenance', en, zhCN);
