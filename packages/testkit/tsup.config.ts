import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    faults: 'src/faults/index.ts',
    memory: 'src/memory/index.ts',
    'state-store': 'src/state-store/index.ts',
    soak: 'src/soak/index.ts',
  },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
