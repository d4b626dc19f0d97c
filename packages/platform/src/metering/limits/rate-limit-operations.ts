import type { AtomicOperation, MemoryAtomicView } from '../../storage/kv/index.ts';

/*
 * The sliding-window log behind the rate limiter. Per rule, relative to the store's prefix:
 *
 *   rate:{key}:{windowMs}:log  zset  one entry per charge, "{sequence}:{units}" scored by its epoch ms
 *   rate:{key}:{windowMs}      hash  total (units in the log), sequence, latest (newest charge's ms)
 *
 * A charge at t counts while now < t + windowMs, so at any moment the log holds exactly the
 * charges of the half-open window (now − windowMs, now]. A check is accepted only when
 * total + cost ≤ limit for every rule, so no window of windowMs ever holds more than `limit`
 * accepted units: the proof is that the last accepted charge of any window saw every earlier
 * charge of that window in its log. why `latest`: a check that reaches the store with an older
 * time than an accepted one (a slower replica, a reordered call) is taken to happen at that later
 * time, so entries are never trimmed ahead of a check that still needs them.
 */

const luaPrelude = `
local function weight_of(member) return tonumber(string.match(member, ':(%d+)$')) end
local function effective_now(tally, now)
  local latest = tonumber(redis.call('HGET', tally, 'latest') or '0')
  if latest > now then return latest end
  return now
end
local function trim(log, tally, now, window)
  local cutoff = now - window
  local old = redis.call('ZRANGEBYSCORE', log, '-inf', cutoff)
  if #old == 0 then return end
  local removed = 0
  for _, member in ipairs(old) do removed = removed + weight_of(member) end
  redis.call('ZREMRANGEBYSCORE', log, '-inf', cutoff)
  redis.call('HINCRBY', tally, 'total', -removed)
end
local function charge(log, tally, now, window, units)
  local sequence = redis.call('HINCRBY', tally, 'sequence', 1)
  redis.call('ZADD', log, now, string.format('%d:%d', sequence, units))
  redis.call('HINCRBY', tally, 'total', units)
  redis.call('HSET', tally, 'latest', now)
  redis.call('PEXPIRE', log, window + 1000)
  redis.call('PEXPIRE', tally, window + 1000)
end
local function wait_for_room(log, room, cost, now, window)
  if room >= cost then return 0 end
  local needed = cost - room
  local start = 0
  while true do
    local batch = redis.call('ZRANGE', log, start, start + 99, 'WITHSCORES')
    if #batch == 0 then return window end
    for j = 1, #batch, 2 do
      needed = needed - weight_of(batch[j])
      if needed <= 0 then return tonumber(batch[j + 1]) + window - now end
    end
    start = start + 100
  end
end
`;

const weightOf = (member: string) => Number(member.slice(member.lastIndexOf(':') + 1));

function effectiveNow(store: MemoryAtomicView, tally: string, now: number): number {
  return Math.max(Number(store.hashGet(tally, 'latest') ?? '0'), now);
}

function trim(store: MemoryAtomicView, log: string, tally: string, now: number, window: number): void {
  const old = store.sortedSetRangeByScore(log, Number.NEGATIVE_INFINITY, now - window);
  if (old.length === 0) return;
  const removed = old.reduce((sum, entry) => sum + weightOf(entry.member), 0);
  store.sortedSetRemoveRangeByScore(log, Number.NEGATIVE_INFINITY, now - window);
  store.hashIncrement(tally, 'total', -removed);
}

function charge(
  store: MemoryAtomicView,
  log: string,
  tally: string,
  now: number,
  window: number,
  units: number,
) {
  const sequence = store.hashIncrement(tally, 'sequence', 1);
  store.sortedSetAdd(log, `${sequence}:${units}`, now);
  store.hashIncrement(tally, 'total', units);
  store.hashSet(tally, 'latest', String(now));
  store.expire(log, window + 1000);
  store.expire(tally, window + 1000);
}

/** Until enough of the oldest charges leave the window for `cost` to fit; `window` when it never can. */
function waitForRoom(
  store: MemoryAtomicView,
  log: string,
  room: number,
  cost: number,
  now: number,
  window: number,
) {
  if (room >= cost) return 0;
  let needed = cost - room;
  for (let start = 0; ; start += 100) {
    const batch = store.sortedSetRange(log, start, start + 99);
    if (batch.length === 0) return window;
    for (const entry of batch) {
      needed -= weightOf(entry.member);
      if (needed <= 0) return entry.score + window - now;
    }
  }
}

/** The position (from 1) of the first rule without room, 0 when all were charged; per rule remaining and resetMs. */
export interface CheckResult {
  refusedPosition: number;
  remaining: number[];
  resetMs: number[];
}

const toCheckResult = (values: number[]): CheckResult => ({
  refusedPosition: values[0]!,
  remaining: values.filter((_, index) => index % 2 === 1),
  resetMs: values.filter((_, index) => index > 0 && index % 2 === 0),
});

/**
 * Checks every rule and charges all of them or none. Rule i uses KEYS[2i−1] (log) and KEYS[2i]
 * (tally); ARGV: now, then per rule its limit, windowMs and cost.
 */
export const checkOperation: AtomicOperation<CheckResult> = {
  name: 'rate-check',
  lua: `${luaPrelude}
local now = tonumber(ARGV[1])
local count = #KEYS / 2
local totals, nows = {}, {}
local refused = 0
for i = 1, count do
  local log, tally = KEYS[2 * i - 1], KEYS[2 * i]
  local at = effective_now(tally, now)
  trim(log, tally, at, tonumber(ARGV[3 * i]))
  nows[i] = at
  totals[i] = tonumber(redis.call('HGET', tally, 'total') or '0')
  if refused == 0 and totals[i] + tonumber(ARGV[3 * i + 1]) > tonumber(ARGV[3 * i - 1]) then refused = i end
end
if refused == 0 then
  for i = 1, count do
    local cost = tonumber(ARGV[3 * i + 1])
    if cost > 0 then
      charge(KEYS[2 * i - 1], KEYS[2 * i], nows[i], tonumber(ARGV[3 * i]), cost)
      totals[i] = totals[i] + cost
    end
  end
end
local result = {refused}
for i = 1, count do
  local room = tonumber(ARGV[3 * i - 1]) - totals[i]
  result[#result + 1] = math.max(room, 0)
  result[#result + 1] = wait_for_room(KEYS[2 * i - 1], room, tonumber(ARGV[3 * i + 1]), nows[i], tonumber(ARGV[3 * i]))
end
return result
`,
  memory(store, keys, args) {
    const now = Number(args[0]);
    const count = keys.length / 2;
    const rule = (position: number) => ({
      log: keys[2 * position - 2]!,
      tally: keys[2 * position - 1]!,
      limit: Number(args[3 * position - 2]),
      window: Number(args[3 * position - 1]),
      cost: Number(args[3 * position]),
    });
    const totals: number[] = [];
    const nows: number[] = [];
    let refused = 0;
    for (let position = 1; position <= count; position += 1) {
      const { log, tally, limit, window, cost } = rule(position);
      const at = effectiveNow(store, tally, now);
      trim(store, log, tally, at, window);
      nows.push(at);
      totals.push(Number(store.hashGet(tally, 'total') ?? '0'));
      if (refused === 0 && totals[position - 1]! + cost > limit) refused = position;
    }
    if (refused === 0) {
      for (let position = 1; position <= count; position += 1) {
        const { log, tally, window, cost } = rule(position);
        if (cost > 0) {
          charge(store, log, tally, nows[position - 1]!, window, cost);
          totals[position - 1]! += cost;
        }
      }
    }
    const values = [refused];
    for (let position = 1; position <= count; position += 1) {
      const { log, limit, window, cost } = rule(position);
      const room = limit - totals[position - 1]!;
      values.push(Math.max(room, 0), waitForRoom(store, log, room, cost, nows[position - 1]!, window));
    }
    return toCheckResult(values);
  },
  decode: (raw) => toCheckResult((raw as Array<number | string>).map(Number)),
};

/**
 * Corrects one rule by `delta` units: a positive delta is charged now; a negative one is refunded
 * from the newest charges (which normally include the request's own), never below zero.
 * KEYS: log, tally; ARGV: now, windowMs, delta.
 */
export const adjustOperation: AtomicOperation<null> = {
  name: 'rate-adjust',
  lua: `${luaPrelude}
local log, tally = KEYS[1], KEYS[2]
local now = effective_now(tally, tonumber(ARGV[1]))
local window, delta = tonumber(ARGV[2]), tonumber(ARGV[3])
trim(log, tally, now, window)
if delta > 0 then
  charge(log, tally, now, window, delta)
else
  local refund = -delta
  while refund > 0 do
    local newest = redis.call('ZREVRANGE', log, 0, 0, 'WITHSCORES')
    if #newest == 0 then break end
    local member, score = newest[1], newest[2]
    local weight = weight_of(member)
    redis.call('ZREM', log, member)
    if weight > refund then
      redis.call('ZADD', log, score, string.match(member, '^(%d+):') .. ':' .. string.format('%d', weight - refund))
      redis.call('HINCRBY', tally, 'total', -refund)
      refund = 0
    else
      redis.call('HINCRBY', tally, 'total', -weight)
      refund = refund - weight
    end
  end
end
return false
`,
  memory(store, keys, args) {
    const [log, tally] = keys as [string, string];
    const now = effectiveNow(store, tally, Number(args[0]));
    const window = Number(args[1]);
    const delta = Number(args[2]);
    trim(store, log, tally, now, window);
    if (delta > 0) {
      charge(store, log, tally, now, window, delta);
      return null;
    }
    let refund = -delta;
    while (refund > 0) {
      const [newest] = store.sortedSetRange(log, 0, 0, { reverse: true });
      if (newest === undefined) break;
      const weight = weightOf(newest.member);
      store.sortedSetRemove(log, newest.member);
      if (weight > refund) {
        const sequence = newest.member.slice(0, newest.member.indexOf(':'));
        store.sortedSetAdd(log, `${sequence}:${weight - refund}`, newest.score);
        store.hashIncrement(tally, 'total', -refund);
        refund = 0;
      } else {
        store.hashIncrement(tally, 'total', -weight);
        refund -= weight;
      }
    }
    return null;
  },
  decode: () => null,
};
