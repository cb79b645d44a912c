import { describeAdapterContract } from './describe-adapter-contract.js';
import { minimalMemoryAdapter } from './self-test/broken-memory-adapters.js';
import { memoryContractSetup } from './self-test/memory-contract-setup.js';

// A healthy adapter that declares nothing optional: the "undeclared ⇒ refused" direction runs here.
describeAdapterContract({
  name: 'memory (minimal manifest)',
  setup: memoryContractSetup(minimalMemoryAdapter),
});
