import { createMemoryStateStore } from '@switchboard/core';
import { describeStateStoreConformance } from './index.js';

describeStateStoreConformance({
  name: 'memory',
  setup: async () => {
    const store = createMemoryStateStore();
    return { store, peer: async () => store };
  },
});
