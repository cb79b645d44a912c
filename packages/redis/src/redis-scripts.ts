/**
 * The Lua scripts of the Redis store. Each runs atomically on the server; every key it touches is
 * passed in KEYS (Redis Cluster routes by them, so they must share one hash tag). Numbers that must
 * stay exact (scores, TTLs) travel as strings: Lua's cjson rounds numbers to 14 digits.
 * @module
 */

/**
 * Conditional multi-key write. ARGV[1] = JSON `{ c: conditions[], w: writes[] }`, each naming its
 * key by position in KEYS (`k`). Conditions: `{ t: 'absent' }`, `{ t: 'equals', v?: json }` (no `v`:
 * the key must be absent), `{ t: 'lease', v: '<fence>:<token>' }`. Writes: `{ t: 'set', v, px? }`,
 * `{ t: 'del' }`, `{ t: 'zadd', s, m }`, `{ t: 'zrem', m }`. Returns 1 when applied, 0 when a
 * condition failed (nothing written).
 */
export const COMMIT_SCRIPT = `
local spec = cjson.decode(ARGV[1])
for _, c in ipairs(spec.c) do
  local key = KEYS[c.k]
  if c.t == 'absent' then
    if redis.call('EXISTS', key) == 1 then return 0 end
  else
    local current = redis.call('GET', key)
    if c.v == nil then
      if current then return 0 end
    elseif current ~= c.v then
      return 0
    end
  end
end
for _, w in ipairs(spec.w) do
  local key = KEYS[w.k]
  if w.t == 'set' then
    if w.px then redis.call('SET', key, w.v, 'PX', w.px) else redis.call('SET', key, w.v) end
  elseif w.t == 'del' then
    redis.call('DEL', key)
  elseif w.t == 'zadd' then
    redis.call('ZADD', key, w.s, w.m)
  elseif w.t == 'zrem' then
    redis.call('ZREM', key, w.m)
  end
end
return 1
`;

/**
 * Ranged read of a sorted set from a position. KEYS[1] = index. ARGV = order ('asc'|'desc'), limit,
 * min, max (Redis score bounds, '-inf'/'+inf' allowed), after score ('' for none), after member.
 * Ties are ordered by member bytes, as Redis orders them; members at the `after` score on the wrong
 * side of `after` are skipped, in chunks, so a page costs O(log n + limit + ties).
 * Returns a flat [member, score, …] array.
 */
export const RANGE_SCRIPT = `
local key, order, limit = KEYS[1], ARGV[1], tonumber(ARGV[2])
local lo, hi = ARGV[3], ARGV[4]
local hasAfter = ARGV[5] ~= ''
local afterScore = tonumber(ARGV[5])
local afterMember = ARGV[6]
if hasAfter then
  if order == 'asc' then
    if lo == '-inf' or afterScore > tonumber(lo) then lo = ARGV[5] end
  else
    if hi == '+inf' or afterScore < tonumber(hi) then hi = ARGV[5] end
  end
end
local out = {}
local offset = 0
local chunk = limit + 16
while #out < limit * 2 do
  local rows
  if order == 'asc' then
    rows = redis.call('ZRANGEBYSCORE', key, lo, hi, 'WITHSCORES', 'LIMIT', offset, chunk)
  else
    rows = redis.call('ZREVRANGEBYSCORE', key, hi, lo, 'WITHSCORES', 'LIMIT', offset, chunk)
  end
  for i = 1, #rows, 2 do
    local member, score = rows[i], rows[i + 1]
    local skip = false
    if hasAfter and tonumber(score) == afterScore then
      if order == 'asc' then skip = member <= afterMember else skip = member >= afterMember end
    end
    if not skip then
      out[#out + 1] = member
      out[#out + 1] = score
      if #out >= limit * 2 then return out end
    end
  end
  if #rows < chunk * 2 then return out end
  offset = offset + chunk
end
return out
`;

/** Counter: KEYS[1]; ARGV = by, ttl ms ('' for none). INCRBY; sets the expiry when it created the key. */
export const INCREMENT_SCRIPT = `
local existed = redis.call('EXISTS', KEYS[1])
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if existed == 0 and ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value
`;

/**
 * Lease acquisition: KEYS = lease key, fence key; ARGV = token, ttl ms. Takes the lease when absent
 * (value '<fence>:<token>', expiring server-side) and returns the new fencing number (the fence key
 * never expires, so numbers are never reused); returns false when held.
 */
export const ACQUIRE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], fence .. ':' .. ARGV[1], 'PX', ARGV[2])
return fence
`;

/** Lease renewal: KEYS[1] = lease key; ARGV = '<fence>:<token>', ttl ms. 1 when renewed, 0 when not held. */
export const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** Lease release: KEYS[1] = lease key; ARGV[1] = '<fence>:<token>'. 1 when released, 0 when not held. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;
