export { isLoopbackHost, egressDecision, egressRefusal, userCommandRefusal, assertEgress, refusalSentence, EgressRefused, type EgressDecision, type EgressReason } from './policy';
export { recordEgress, readEgressLog, egressSummary, egressLogFile, SESSION, type EgressEntry, type EgressSummary } from './log';
export { offlineState, readSettings, setSetting, settingsFile, type OfflineState, type Settings, type SettingKey } from './settings';
export { registerTeacherSource, teachersChanged, isTeacherHost, resetTeacherSources } from './teachers';
export { childEnv } from './child-env';
