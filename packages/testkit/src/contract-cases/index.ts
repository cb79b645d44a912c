import { type ContractCase, contractGroups } from '../contract-case.js';
import { conversationsCases } from './conversations-cases.js';
import { errorsCases } from './errors-cases.js';
import { fieldCases } from './field-cases.js';
import { groupCases } from './group-cases.js';
import { lifecycleCases } from './lifecycle-cases.js';
import { manifestCases } from './manifest-cases.js';
import { messagesCases } from './messages-cases.js';
import { realtimeCases } from './realtime-cases.js';
import { realtimeEventCases } from './realtime-event-cases.js';
import { secretsCases } from './secrets-cases.js';
import { streamCases } from './stream-cases.js';
import { validationCases } from './validation-cases.js';
import { writeCases } from './write-cases.js';

/** Every contract case, grouped in suite order. Ids are stable: use them in `skip` and in reports. */
export const contractCases: readonly ContractCase[] = [
  ...manifestCases,
  ...conversationsCases,
  ...messagesCases,
  ...realtimeCases,
  ...realtimeEventCases,
  ...errorsCases,
  ...validationCases,
  ...secretsCases,
  ...groupCases,
  ...fieldCases,
  ...writeCases,
  ...streamCases,
  ...lifecycleCases,
].sort((a, b) => contractGroups.indexOf(a.group) - contractGroups.indexOf(b.group));

/**
 * The case with this id.
 * @throws {RangeError} when no case has it.
 */
export function contractCase(id: string): ContractCase {
  const found = contractCases.find((testCase) => testCase.id === id);
  if (!found) throw new RangeError(`No contract case has the id '${id}'.`);
  return found;
}
