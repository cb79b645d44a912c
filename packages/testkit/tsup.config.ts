import { definePackageBuild } from '../../tsup.shared.js';

export default definePackageBuild({
  index: 'src/index.ts',
  faults: 'src/faults/index.ts',
  memory: 'src/memory/index.ts',
  'state-store': 'src/state-store/index.ts',
  soak: 'src/soak/index.ts',
});
