import type { Participant } from '@switchboard/core';
import type { BrevoAgentPingBody } from './brevo-api.js';
import type { BrevoAgentIdentity } from './brevo-options.js';
import type { BrevoMessage } from './brevo-schemas.js';
import type { BrevoSelf } from './map-brevo-message.js';

/** Who we are on Brevo: the agent we send as, and what we know about it. */
export interface BrevoIdentity {
  /** The agent fields of sends and pings: `agentId`, or `agentEmail` + `agentName`, plus `receivedFrom`. */
  readonly agentFields: BrevoAgentPingBody;
  /** Our agent id, once known (configured, or learned from a send answer). */
  agentId(): string | undefined;
  /** What tells our messages apart. */
  self(): BrevoSelf;
  /** Us as a participant (`kind: 'agent'`, `isSelf: true`). */
  participant(): Participant;
  /** Learns our agent id and name from the answer to a regular (non-automated) send. */
  learn(sent: BrevoMessage): void;
}

/** Creates the identity of the configured agent. */
export function createBrevoIdentity(agent: BrevoAgentIdentity, receivedFrom: string): BrevoIdentity {
  let agentId = 'id' in agent ? agent.id : undefined;
  let agentName = 'name' in agent ? agent.name : undefined;
  return {
    agentFields:
      'id' in agent
        ? { agentId: agent.id, receivedFrom }
        : { agentEmail: agent.email, agentName: agent.name, receivedFrom },
    agentId: () => agentId,
    self: () => ({ receivedFrom, agentId, agentName }),
    participant() {
      const participant: Participant = {
        id: agentId ?? ('email' in agent ? agent.email : ''),
        kind: 'agent',
        isSelf: true,
      };
      if ('email' in agent) participant.handle = agent.email;
      if (agentName) participant.displayName = agentName;
      return participant;
    },
    learn(sent) {
      agentId ??= sent.agentId ?? undefined;
      agentName ??= sent.agentName ?? undefined;
    },
  };
}
