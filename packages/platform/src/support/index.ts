export { canonicalJson } from './canonical-json.ts';
export { type ChangePoller, createChangePoller } from './change-poller.ts';
export { type Clock, type RandomSource, seededRandom, systemClock } from './clock.ts';
export { createManualClock, type ManualClock } from './manual-clock.ts';
export { createSecretBox, parseMasterKey, type SecretBox } from './secret-box.ts';
export { loadTokenizer, type Tokenizer } from './tokenizer.ts';
