import type { AtomicOperation } from '../../storage/kv/index.ts';
import {
  holdField,
  readLevel,
  releaseExpiredHolds,
  setPeriodExpiry,
  spendLuaPrelude,
} from './spend-holds.ts';

/*
 * The key-value ledger's atomic operations. Budget i (from 1) uses KEYS[2i] (its hash) and
 * KEYS[2i+1] (its holds); KEYS[1] is the reservation record where one is involved.
 */

/** Refused: the 1-based position of the first budget without room, with its spent and reserved. */
export type ReserveResult = { ok: true } | { ok: false; position: number; spent: number; reserved: number };

const asNumbers = (raw: unknown) => (raw as Array<number | string>).map(Number);

/**
 * ARGV: reservationId, amount, now, expiresAt, recordTtlMs, budgetsJson, then per budget its limit
 * and its period's time to live (0: none). A record that already exists answers ok unchanged.
 */
export const reserveOperation: AtomicOperation<ReserveResult> = {
  name: 'spend-reserve',
  lua: `${spendLuaPrelude}
local id, amount, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
if redis.call('EXISTS', KEYS[1]) == 1 then return {1} end
local count = (#KEYS - 1) / 2
for i = 1, count do
  local counter, holds = KEYS[2 * i], KEYS[2 * i + 1]
  release_expired(counter, holds, now)
  local spent, reserved = read_level(counter)
  if spent + reserved + amount > tonumber(ARGV[5 + 2 * i]) then return {0, i, spent, reserved} end
end
for i = 1, count do
  local counter, holds = KEYS[2 * i], KEYS[2 * i + 1]
  redis.call('HINCRBY', counter, 'reserved', ARGV[2])
  redis.call('HSET', counter, 'hold:' .. id, ARGV[2])
  redis.call('ZADD', holds, ARGV[4], id)
  set_expiry(counter, holds, ARGV[6 + 2 * i])
end
redis.call('HSET', KEYS[1], 'amount', ARGV[2], 'budgets', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {1}
`,
  memory(store, keys, args) {
    const [id, amountText, nowText, expiresAtText, recordTtlText, budgetsJson] = args as string[];
    const amount = Number(amountText);
    const now = Number(nowText);
    const record = keys[0]!;
    if (store.hashGet(record, 'amount') !== null) return { ok: true };
    const count = (keys.length - 1) / 2;
    for (let position = 1; position <= count; position += 1) {
      const counter = keys[2 * position - 1]!;
      releaseExpiredHolds(store, counter, keys[2 * position]!, now);
      const [spent, reserved] = readLevel(store, counter);
      if (spent + reserved + amount > Number(args[4 + 2 * position])) {
        return { ok: false, position, spent, reserved };
      }
    }
    for (let position = 1; position <= count; position += 1) {
      const counter = keys[2 * position - 1]!;
      const holds = keys[2 * position]!;
      store.hashIncrement(counter, 'reserved', amount);
      store.hashSet(counter, holdField(id!), amountText!);
      store.sortedSetAdd(holds, id!, Number(expiresAtText));
      setPeriodExpiry(store, counter, holds, Number(args[5 + 2 * position]));
    }
    store.hashSet(record, 'amount', amountText!);
    store.hashSet(record, 'budgets', budgetsJson!);
    store.expire(record, Number(recordTtlText));
    return { ok: true };
  },
  decode(raw) {
    const [ok, position, spent, reserved] = asNumbers(raw);
    return ok === 1 ? { ok: true } : { ok: false, position: position!, spent: spent!, reserved: reserved! };
  },
};

/** The budgets JSON of a reservation record, or null when there is none. */
export const readReservationOperation: AtomicOperation<string | null> = {
  name: 'spend-read-reservation',
  lua: `return redis.call('HGET', KEYS[1], 'budgets')`,
  memory: (store, keys) => store.hashGet(keys[0]!, 'budgets'),
  decode: (raw) => (typeof raw === 'string' ? raw : null),
};

/**
 * Settles (or, with actual 0, releases) a reservation: deletes its record, releases its hold on
 * each budget that still has one and adds `actual` to each budget's spent. ARGV: reservationId,
 * actual, now, then per budget its period's time to live. Returns spent and reserved per budget,
 * or nothing when the record was already gone (settled or released before).
 */
export const finishOperation: AtomicOperation<number[] | null> = {
  name: 'spend-finish',
  lua: `${spendLuaPrelude}
local id, actual, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
if redis.call('DEL', KEYS[1]) == 0 then return false end
local levels = {}
for i = 1, (#KEYS - 1) / 2 do
  local counter, holds = KEYS[2 * i], KEYS[2 * i + 1]
  release_expired(counter, holds, now)
  if drop_hold(counter, id) then redis.call('ZREM', holds, id) end
  if actual > 0 then redis.call('HINCRBY', counter, 'spent', ARGV[2]) end
  set_expiry(counter, holds, ARGV[3 + i])
  local spent, reserved = read_level(counter)
  levels[#levels + 1] = spent
  levels[#levels + 1] = reserved
end
return levels
`,
  memory(store, keys, args) {
    const [id, actualText, nowText] = args as [string, string, string];
    const actual = Number(actualText);
    if (!store.delete(keys[0]!)) return null;
    const levels: number[] = [];
    for (let position = 1; position <= (keys.length - 1) / 2; position += 1) {
      const counter = keys[2 * position - 1]!;
      const holds = keys[2 * position]!;
      releaseExpiredHolds(store, counter, holds, Number(nowText));
      const amount = store.hashGet(counter, holdField(id));
      if (amount !== null) {
        store.hashDelete(counter, holdField(id));
        store.hashIncrement(counter, 'reserved', -Number(amount));
        store.sortedSetRemove(holds, id);
      }
      if (actual > 0) store.hashIncrement(counter, 'spent', actual);
      setPeriodExpiry(store, counter, holds, Number(args[2 + position]));
      levels.push(...readLevel(store, counter));
    }
    return levels;
  },
  decode: (raw) => (Array.isArray(raw) ? asNumbers(raw) : null),
};

/** Releases expired holds, then reads spent and reserved per budget. ARGV: now. */
export const levelsOperation: AtomicOperation<number[]> = {
  name: 'spend-levels',
  lua: `${spendLuaPrelude}
local levels = {}
for i = 1, #KEYS / 2 do
  release_expired(KEYS[2 * i - 1], KEYS[2 * i], tonumber(ARGV[1]))
  local spent, reserved = read_level(KEYS[2 * i - 1])
  levels[#levels + 1] = spent
  levels[#levels + 1] = reserved
end
return levels
`,
  memory(store, keys, args) {
    const levels: number[] = [];
    for (let index = 0; index < keys.length; index += 2) {
      releaseExpiredHolds(store, keys[index]!, keys[index + 1]!, Number(args[0]));
      levels.push(...readLevel(store, keys[index]!));
    }
    return levels;
  },
  decode: asNumbers,
};

/** Raises spent to at least ARGV[1]; ARGV[2] is the period's time to live. KEYS: hash, holds. */
export const raiseSpentOperation: AtomicOperation<null> = {
  name: 'spend-raise',
  lua: `${spendLuaPrelude}
local spent = read_level(KEYS[1])
if spent < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'spent', ARGV[1])
  set_expiry(KEYS[1], KEYS[2], ARGV[2])
end
return false
`,
  memory(store, keys, args) {
    const [spent] = readLevel(store, keys[0]!);
    if (spent < Number(args[0])) {
      store.hashSet(keys[0]!, 'spent', args[0]!);
      setPeriodExpiry(store, keys[0]!, keys[1]!, Number(args[1]));
    }
    return null;
  },
  decode: () => null,
};
