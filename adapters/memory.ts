/** The embedded default store, for a single process: `express-wechat-session/adapters/memory`. */
export { memoryStore, type MemoryStore, type MemoryStoreOptions } from '../src/stores/memory.js';
