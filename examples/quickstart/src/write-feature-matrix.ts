/** `pnpm docs:matrix`: regenerates docs/feature-matrix.md from the adapters' manifests. */
import { writeFileSync } from 'node:fs';
import { featureMatrixMarkdown } from './feature-matrix.js';

const target = new URL('../../../docs/feature-matrix.md', import.meta.url);
writeFileSync(target, featureMatrixMarkdown());
console.log(`wrote ${target.pathname}`);
