import type { MemoryAtomicView } from '../../storage/kv/index.ts';

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

/*
 * The building blocks of the limiter's operations (admission-limit-operations.ts), once in Lua for
 * Redis and once in JavaScript for the in-process store, function for function. A rule set is
 * `keys` (log, tally per rule) and `args` (limit, windowMs, cost per rule), as tables / arrays
 * starting at 1 / 0.
 */
export const rateLuaFunctions = `
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
local function rates_evaluate(keys, args, now)
  local nows, totals, refused = {}, {}, 0
  for i = 1, #keys / 2 do
    local log, tally = keys[2 * i - 1], keys[2 * i]
    local at = effective_now(tally, now)
    trim(log, tally, at, tonumber(args[3 * i - 1]))
    nows[i] = at
    totals[i] = tonumber(redis.call('HGET', tally, 'total') or '0')
    if refused == 0 and totals[i] + tonumber(args[3 * i]) > tonumber(args[3 * i - 2]) then refused = i end
  end
  return nows, totals, refused
end
local function rates_charge(keys, args, nows, totals)
  for i = 1, #keys / 2 do
    local cost = tonumber(args[3 * i])
    if cost > 0 then
      charge(keys[2 * i - 1], keys[2 * i], nows[i], tonumber(args[3 * i - 1]), cost)
      totals[i] = totals[i] + cost
    end
  end
end
local function full_reset(tally, total, now, window)
  if total <= 0 then return 0 end
  local latest = tonumber(redis.call('HGET', tally, 'latest') or '0')
  return math.max(latest + window - now, 0)
end
local function rates_states(keys, args, nows, totals, result)
  for i = 1, #keys / 2 do
    local room = tonumber(args[3 * i - 2]) - totals[i]
    local window = tonumber(args[3 * i - 1])
    result[#result + 1] = math.max(room, 0)
    result[#result + 1] = wait_for_room(keys[2 * i - 1], room, tonumber(args[3 * i]), nows[i], window)
    result[#result + 1] = full_reset(keys[2 * i], totals[i], nows[i], window)
  end
end
local function rate_adjust(log, tally, now_given, window, delta)
  local now = effective_now(tally, now_given)
  trim(log, tally, now, window)
  if delta > 0 then
    charge(log, tally, now, window, delta)
    return
  end
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

/** A rule set's evaluation: each rule's effective time and total, and the first without room. */
export interface RatesEvaluation {
  nows: number[];
  totals: number[];
  refused: number;
}

/** rates_evaluate: trims every rule's window and finds the first rule without room (0: none). */
export function ratesEvaluate(
  store: MemoryAtomicView,
  keys: readonly string[],
  args: readonly string[],
  now: number,
): RatesEvaluation {
  const evaluation: RatesEvaluation = { nows: [], totals: [], refused: 0 };
  for (let position = 1; position <= keys.length / 2; position += 1) {
    const tally = keys[2 * position - 1]!;
    const at = effectiveNow(store, tally, now);
    trim(store, keys[2 * position - 2]!, tally, at, Number(args[3 * position - 2]));
    evaluation.nows.push(at);
    const total = Number(store.hashGet(tally, 'total') ?? '0');
    evaluation.totals.push(total);
    if (evaluation.refused === 0 && total + Number(args[3 * position - 1]) > Number(args[3 * position - 3])) {
      evaluation.refused = position;
    }
  }
  return evaluation;
}

/** rates_charge: charges every rule its cost. */
export function ratesCharge(
  store: MemoryAtomicView,
  keys: readonly string[],
  args: readonly string[],
  evaluation: RatesEvaluation,
): void {
  for (let position = 1; position <= keys.length / 2; position += 1) {
    const cost = Number(args[3 * position - 1]);
    if (cost <= 0) continue;
    const window = Number(args[3 * position - 2]);
    charge(
      store,
      keys[2 * position - 2]!,
      keys[2 * position - 1]!,
      evaluation.nows[position - 1]!,
      window,
      cost,
    );
    evaluation.totals[position - 1]! += cost;
  }
}

/** full_reset: until the newest charge leaves the window, so the rule is back to its whole limit (0 when empty). */
function fullReset(
  store: MemoryAtomicView,
  tally: string,
  total: number,
  now: number,
  window: number,
): number {
  if (total <= 0) return 0;
  const latest = Number(store.hashGet(tally, 'latest') ?? '0');
  return Math.max(latest + window - now, 0);
}

/** rates_states: appends remaining, resetMs and fullResetMs per rule. */
export function ratesStates(
  store: MemoryAtomicView,
  keys: readonly string[],
  args: readonly string[],
  evaluation: RatesEvaluation,
  result: number[],
): void {
  for (let position = 1; position <= keys.length / 2; position += 1) {
    const room = Number(args[3 * position - 3]) - evaluation.totals[position - 1]!;
    const cost = Number(args[3 * position - 1]);
    const window = Number(args[3 * position - 2]);
    const now = evaluation.nows[position - 1]!;
    result.push(
      Math.max(room, 0),
      waitForRoom(store, keys[2 * position - 2]!, room, cost, now, window),
      fullReset(store, keys[2 * position - 1]!, evaluation.totals[position - 1]!, now, window),
    );
  }
}

/** rate_adjust: charges a positive delta now, or refunds a negative one from the newest charges. */
export function rateAdjust(
  store: MemoryAtomicView,
  log: string,
  tally: string,
  givenNow: number,
  window: number,
  delta: number,
): void {
  const now = effectiveNow(store, tally, givenNow);
  trim(store, log, tally, now, window);
  if (delta > 0) {
    charge(store, log, tally, now, window, delta);
    return;
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
}

/**
 * The position (from 1) of the first rule without room, 0 when all were charged; per rule
 * remaining, resetMs and fullResetMs.
 */
export interface CheckResult {
  refusedPosition: number;
  remaining: number[];
  resetMs: number[];
  fullResetMs: number[];
}

export const toCheckResult = (values: number[]): CheckResult => {
  const states = values.slice(1);
  const column = (offset: number) => states.filter((_, index) => index % 3 === offset);
  return { refusedPosition: values[0]!, remaining: column(0), resetMs: column(1), fullResetMs: column(2) };
};
