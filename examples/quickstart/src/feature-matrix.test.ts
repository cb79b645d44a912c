import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adapterManifests, featureMatrixMarkdown } from './feature-matrix.js';

describe('docs/feature-matrix.md', () => {
  it("matches the adapters' capability manifests (run `pnpm docs:matrix` to regenerate)", () => {
    const onDisk = readFileSync(new URL('../../../docs/feature-matrix.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(featureMatrixMarkdown());
  });

  it('has one column per adapter and one row per capability field', () => {
    const manifests = adapterManifests();
    const table = featureMatrixMarkdown(manifests)
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    expect(table).toHaveLength(Object.keys(manifests[0]!.capabilities).length);
    for (const row of table) expect(row.split(' | ')).toHaveLength(manifests.length + 1);
  });
});
