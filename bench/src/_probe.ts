import { auroraBench, startAuroraFixture } from './providers/aurora.js';

const f = await startAuroraFixture();
const m = await auroraBench.messenger(f.target);
const id = String(f.target.chatIds[0]);
for (const n of [2, 4, 8, 16]) {
  const results = await Promise.allSettled(
    Array.from({ length: n }, (_, i) => m.send(id, `same chat ${n} ${i}`)),
  );
  const failed = results.filter((r) => r.status === 'rejected');
  console.log(
    `${n} concurrent sends to one chat: ${failed.length} failed`,
    failed[0] ? String((failed[0] as PromiseRejectedResult).reason).slice(0, 160) : '',
  );
}
await m.close();
await f.close();
