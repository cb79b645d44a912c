import { describeAdapterContract } from './describe-adapter-contract.js';
import { memoryContractSetup } from './self-test/memory-contract-setup.js';

describeAdapterContract({ name: 'memory (reference)', setup: memoryContractSetup() });
