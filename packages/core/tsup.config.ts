import { definePackageBuild } from '../../tsup.shared.js';

export default definePackageBuild({ index: 'src/index.ts', http: 'src/http/index.ts' });
