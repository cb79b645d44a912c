import { createAuroraAdapter } from '@switchboard/aurora';
import { createBlueskyAdapter } from '@switchboard/bluesky';
import { createBrevoAdapter } from '@switchboard/brevo';
import { createChatsApiAdapter } from '@switchboard/chats-api';
import { type Capabilities, capabilitiesSchema } from '@switchboard/core';

/**
 * The feature matrix in docs/feature-matrix.md, generated from each adapter's capability manifest
 * (the single source of truth). Creating an adapter sends no request, so placeholder credentials do.
 */
export function adapterManifests(): Array<{ name: string; capabilities: Capabilities }> {
  const placeholder = { username: 'u', password: 'p' };
  return [
    { name: 'Bluesky', capabilities: createBlueskyAdapter({ identifier: 'u', password: 'p' }).capabilities },
    {
      name: 'chats API',
      capabilities: createChatsApiAdapter({ baseUrl: 'http://127.0.0.1:1', ...placeholder }).capabilities,
    },
    {
      name: 'Brevo',
      capabilities: createBrevoAdapter({
        apiKey: 'k',
        webhookSecret: 's',
        agent: { id: 'a' },
        presenceIntervalMs: false,
      }).capabilities,
    },
    {
      name: 'Aurora (v11)',
      capabilities: createAuroraAdapter({ ...placeholder, apiVersion: 'v11' }).capabilities,
    },
    {
      name: 'Aurora (v5)',
      capabilities: createAuroraAdapter({ ...placeholder, apiVersion: 'v5' }).capabilities,
    },
  ];
}

function cell(value: unknown): string {
  if (value === true) return '✓';
  if (value === false || value === 'none') return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  if (typeof value === 'object' && value !== null) {
    const { min, max, default: byDefault } = value as { min: number; max: number; default: number };
    return `${min}–${max} (default ${byDefault})`;
  }
  return String(value);
}

/** The Markdown page: one row per capability, one column per adapter. */
export function featureMatrixMarkdown(manifests = adapterManifests()): string {
  const fields = Object.keys(capabilitiesSchema.shape) as Array<keyof Capabilities>;
  const header = `| capability | ${manifests.map((m) => m.name).join(' | ')} |`;
  const rule = `|---|${manifests.map(() => '---').join('|')}|`;
  const rows = fields.map(
    (field) => `| \`${field}\` | ${manifests.map((m) => cell(m.capabilities[field])).join(' | ')} |`,
  );
  return [
    '# Feature matrix',
    '',
    "<!-- Generated from the adapters' capability manifests by `pnpm docs:matrix`; a test fails when it is out of date. -->",
    '',
    'What each adapter declares. The Messenger throws `UnsupportedOperationError` for a `—`, and the',
    'contract suite checks both directions for every adapter. See [concepts](concepts.md#capabilities)',
    'for what each value means.',
    '',
    header,
    rule,
    ...rows,
    '',
  ].join('\n');
}
