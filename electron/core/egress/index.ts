export { isLoopbackHost, egressRefusal, assertEgress, refusalSentence, EgressRefused } from './policy';
export { recordEgress, readEgressLog, egressSummary, egressLogFile, SESSION, type EgressEntry, type EgressSummary } from './log';
export { offlineState, readSettings, setSetting, settingsFile, type OfflineState, type Settings } from './settings';
export { childEnv } from './child-env';
