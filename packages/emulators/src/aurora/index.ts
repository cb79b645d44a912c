/**
 * `@switchboard/emulators/aurora`: a local Aurora AI chatbot API (both the `/api/v11` and the seed-era
 * `/api/v5` profiles) with streamed SSE replies from a deterministic fake model.
 * @module @switchboard/emulators/aurora
 */

export { type AuroraEmulator, type AuroraEmulatorOptions, startAuroraEmulator } from './aurora-emulator.js';
export { type AuroraErrorText, auroraErrorText } from './aurora-error-bodies.js';
export { AURORA_MAX_MESSAGE_LENGTH } from './aurora-message-routes.js';
export { type AuroraModel, type AuroraModelInput, defaultAuroraModel } from './aurora-model.js';
export { auroraProfile } from './aurora-profile.js';
export type {
  AuroraCharacterRecord,
  AuroraCharacterSeed,
  AuroraChatRecord,
  AuroraMessageRecord,
  AuroraRole,
  AuroraUserSeed,
} from './aurora-store.js';
