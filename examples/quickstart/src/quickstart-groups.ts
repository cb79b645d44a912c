import type { Messenger } from '@switchboard/core';
import type { DemoSetup } from './providers/demo-provider.js';

const name = (p: { handle?: string; displayName?: string; id: string }) => p.handle ?? p.displayName ?? p.id;

/**
 * The group part of the quickstart, on the provider-neutral calls: open a group with the peer and
 * the other demo participants, then rename it, list and remove participants and send a batch, each
 * only where the manifest says the provider can. Providers that cannot open groups print why.
 */
export async function showGroupConversation(
  messenger: Messenger,
  setup: DemoSetup,
  print: (line: string) => void,
): Promise<void> {
  const open = messenger.capabilities.openConversation;
  if (open !== 'group' && open !== 'direct-and-group') {
    print(
      `Groups: skipped — ${messenger.provider} cannot open group conversations (openConversation: ${String(open)}).`,
    );
    return;
  }
  if (!setup.peer || !setup.groupPeers?.length) {
    print('Groups: skipped — this demo setup names no other participants to start a group with.');
    return;
  }
  const group = await messenger.openConversation({
    participants: [setup.peer, ...setup.groupPeers],
    title: 'Switchboard demo group',
  });
  const others = group.participants.filter((p) => !p.isSelf).map(name);
  print(`Group conversation ${group.id} "${group.title ?? ''}" (${group.kind}) with ${others.join(', ')}`);
  const sent = await messenger.send(group.id, `Hi all 👋 @${setup.peer} — welcome to the group`);
  print(`→ me (group): ${sent.text}`);
  if (messenger.supports('updateConversation')) {
    const renamed = await messenger.updateConversation(group.id, { title: 'Switchboard demo group ✨' });
    print(`✓ renamed to "${renamed.title}"`);
  }
  if (messenger.supports('removeParticipants')) {
    const last = setup.groupPeers.at(-1)!;
    const after = await messenger.removeParticipants(group.id, [last]);
    print(`✓ removed ${last}: ${after.participantCount ?? after.participants.length} participants left`);
  }
  if (messenger.supports('listParticipants')) {
    const all: string[] = [];
    for await (const participant of messenger.participants(group.id)) all.push(name(participant));
    print(`Participants (paged): ${all.join(', ')}`);
  }
  if (messenger.supports('sendBatch')) {
    const results = await messenger.sendBatch([
      { conversationId: group.id, message: 'Batch message 1 (group)' },
      { conversationId: group.id, message: 'Batch message 2 (group)' },
    ]);
    const sentCount = results.filter((r) => r.status === 'sent').length;
    print(
      `✓ sendBatch: ${sentCount} of ${results.length} sent in ${Math.ceil(results.length / messenger.capabilities.maxBatchSize)} call(s) (${messenger.capabilities.sendBatch})`,
    );
  }
  const unsupported = (
    ['updateConversation', 'addParticipants', 'removeParticipants', 'listParticipants', 'sendBatch'] as const
  ).filter((capability) => !messenger.supports(capability));
  if (unsupported.length) print(`  (${messenger.provider} does not support: ${unsupported.join(', ')})`);
}
