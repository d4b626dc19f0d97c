/*
 * The SQL ledger's statements. Each is ONE statement, so it is atomic on its own and needs no
 * transaction; concurrency is handled by row locks:
 *
 * 1. The budget rows a statement changes are locked first, all of them, in id order (FOR UPDATE
 *    in a CTE whose full result an aggregate demands before any reservation row is touched), so
 *    two statements never wait for each other's budgets in opposite orders.
 * 2. Only then are reservation rows locked, again in id order.
 * 3. A locked row is read in its newest committed version (READ COMMITTED re-reads it after the
 *    wait), so every check sees what the statements before it committed.
 *
 * Amounts are nano-USD in parameters and `numeric` USD in rows: `nano * 0.000000001` and
 * `ceil(usd * 1000000000)` are exact numeric arithmetic, never floats.
 *
 * A reservation row holds `amount_usd` on each of `budget_ids` while amount_usd > 0. When its
 * expires_at passes, the next statement touching one of its budgets releases it from ALL its
 * budgets at once (it locks them too) and keeps the row as a marker with amount 0 until
 * expires_at = now + retention, so a late settle still records the spend; settle and release
 * delete the row, so a second call finds nothing to do.
 *
 * Periods: `period_start` is the start of the period whose spend `spent_usd` counts. When a
 * statement sees a later period start than the row's (from the counter's periodKey, or for
 * settle from `period` and now, both in UTC), it sets spent to 0 and moves period_start forward
 * in the same UPDATE. `reserved_usd` is not reset: it is the sum of live holds, which carry over
 * into the new period and settle there. A period start earlier than the row's is ignored.
 */

const nano = '0.000000001';

/** USD numeric → nano-USD bigint, rounded up (spend is never under-reported). */
const toNano = (column: string) => `ceil(${column} * 1000000000)::bigint`;

/**
 * Shared CTEs of reserve and levels. Parameters: $1 budget ids (text[]), $2 limits in nano-USD
 * (text[]), $3 period starts (timestamptz[], null for 'total'), $4 now, $5 when released holds'
 * markers may be forgotten. Defines `requested`, `locked`, `current` (each locked budget after
 * expiry and period roll-over) and performs those changes.
 */
const touchBudgets = `
requested AS (
  SELECT budget_id, limit_nano, period_start, position
  FROM unnest($1::text[], $2::numeric[], $3::timestamptz[]) WITH ORDINALITY
    AS r(budget_id, limit_nano, period_start, position)
),
expired_budgets AS (
  SELECT DISTINCT unnest(r.budget_ids) AS budget_id
  FROM budget_reservations r
  WHERE r.expires_at <= $4::timestamptz AND r.amount_usd > 0 AND r.budget_ids && $1::text[]
),
lock_ids AS (
  SELECT budget_id FROM requested UNION SELECT budget_id FROM expired_budgets
),
locked AS (
  SELECT b.id, b.spent_usd, b.reserved_usd, b.period_start
  FROM budgets b
  WHERE b.id IN (SELECT budget_id FROM lock_ids)
  ORDER BY b.id
  FOR UPDATE
),
lock_set AS (
  SELECT count(*) AS locked_count, (SELECT array_agg(budget_id) FROM lock_ids) AS ids FROM locked
),
expiring AS (
  SELECT r.id, r.budget_ids, r.amount_usd
  FROM budget_reservations r, lock_set s
  WHERE s.locked_count >= 0
    AND r.expires_at <= $4::timestamptz
    AND r.budget_ids && $1::text[]
    AND (r.amount_usd = 0 OR r.budget_ids <@ s.ids)
  ORDER BY r.id
  FOR UPDATE OF r
),
released AS (
  SELECT held.budget_id, sum(e.amount_usd) AS amount_usd
  FROM expiring e CROSS JOIN LATERAL unnest(e.budget_ids) AS held(budget_id)
  WHERE e.amount_usd > 0
  GROUP BY held.budget_id
),
retired AS (
  UPDATE budget_reservations r SET amount_usd = 0, expires_at = $5::timestamptz
  FROM expiring e
  WHERE r.id = e.id AND e.amount_usd > 0
),
forgotten AS (
  DELETE FROM budget_reservations r
  USING expiring e
  WHERE r.id = e.id AND e.amount_usd = 0
),
current AS (
  SELECT l.id, q.position, q.limit_nano,
    CASE WHEN q.period_start > l.period_start THEN 0 ELSE l.spent_usd END AS spent_usd,
    l.reserved_usd - coalesce(x.amount_usd, 0) AS reserved_usd,
    greatest(l.period_start, coalesce(q.period_start, l.period_start)) AS period_start
  FROM locked l
  LEFT JOIN requested q ON q.budget_id = l.id
  LEFT JOIN released x ON x.budget_id = l.id
),
missing AS (
  SELECT q.budget_id FROM requested q WHERE NOT EXISTS (SELECT 1 FROM locked l WHERE l.id = q.budget_id)
)`;

/**
 * Reserve: $1–$5 as {@link touchBudgets}, $6 reservation id, $7 amount in nano-USD, $8 expiry.
 * Reserves in every requested budget that has a row, or in none; answers whether it fit, whether
 * the id was already reserved (then nothing changes), the budgets that have no row (left out),
 * and the first refusal.
 */
export const reserveStatement = `
WITH ${touchBudgets},
refusal AS (
  SELECT c.id, c.position, c.spent_usd, c.reserved_usd
  FROM current c
  WHERE c.position IS NOT NULL
    AND c.spent_usd + c.reserved_usd + $7::numeric * ${nano} > c.limit_nano * ${nano}
  ORDER BY c.position
  LIMIT 1
),
decision AS (
  SELECT
    NOT EXISTS (SELECT 1 FROM refusal) AS fits,
    EXISTS (SELECT 1 FROM budget_reservations WHERE id = $6::text) AS duplicate
),
updated AS (
  UPDATE budgets b
  SET spent_usd = c.spent_usd,
    reserved_usd = c.reserved_usd
      + CASE WHEN d.fits AND NOT d.duplicate AND c.position IS NOT NULL THEN $7::numeric * ${nano} ELSE 0 END,
    period_start = c.period_start
  FROM current c, decision d
  WHERE b.id = c.id
),
inserted AS (
  INSERT INTO budget_reservations (id, budget_ids, amount_usd, expires_at)
  SELECT $6::text, held.ids, $7::numeric * ${nano}, $8::timestamptz
  FROM decision d,
    (SELECT array_agg(c.id ORDER BY c.position) AS ids FROM current c WHERE c.position IS NOT NULL) held
  WHERE d.fits AND NOT d.duplicate AND held.ids IS NOT NULL
)
SELECT d.fits, d.duplicate,
  coalesce((SELECT array_agg(budget_id) FROM missing), '{}') AS missing,
  r.position AS refused_position,
  ${toNano('r.spent_usd')} AS refused_spent,
  ${toNano('r.reserved_usd')} AS refused_reserved
FROM decision d LEFT JOIN refusal r ON true`;

/** Levels: $1–$5 as {@link touchBudgets}; applies expiry and roll-over, then reads each budget. */
export const levelsStatement = `
WITH ${touchBudgets},
updated AS (
  UPDATE budgets b
  SET spent_usd = c.spent_usd, reserved_usd = c.reserved_usd, period_start = c.period_start
  FROM current c
  WHERE b.id = c.id
)
SELECT q.budget_id, ${toNano('coalesce(c.spent_usd, 0)')} AS spent, ${toNano('coalesce(c.reserved_usd, 0)')} AS reserved
FROM requested q LEFT JOIN current c ON c.id = q.budget_id
ORDER BY q.position`;

/** The start (UTC) of the period `now` ($) falls in, for a row's `period` column. */
const periodStartAt = (now: string) => `CASE l.period
      WHEN 'day' THEN date_trunc('day', ${now}::timestamptz, 'UTC')
      WHEN 'month' THEN date_trunc('month', ${now}::timestamptz, 'UTC')
      ELSE l.period_start END`;

/**
 * Settle or release: $1 reservation id, $2 actual nano-USD (0 to release), $3 now. Deletes the
 * reservation, releases what it still held and adds the actual spend to each of its budgets (in
 * the current period); returns each budget's new level, or no rows when there was no reservation.
 */
export const finishStatement = `
WITH target AS (
  SELECT budget_ids FROM budget_reservations WHERE id = $1::text
),
locked AS (
  SELECT b.id, b.period, b.period_start, b.spent_usd, b.reserved_usd
  FROM budgets b
  WHERE b.id = ANY ((SELECT budget_ids FROM target)::text[])
  ORDER BY b.id
  FOR UPDATE
),
lock_set AS (
  SELECT count(*) AS locked_count FROM locked
),
claimed AS (
  DELETE FROM budget_reservations r
  USING lock_set s
  WHERE r.id = $1::text AND s.locked_count > 0
  RETURNING r.budget_ids, r.amount_usd
),
current AS (
  SELECT l.id, held.position,
    CASE WHEN ${periodStartAt('$3')} > l.period_start THEN 0 ELSE l.spent_usd END
      + $2::numeric * ${nano} AS spent_usd,
    l.reserved_usd - c.amount_usd AS reserved_usd,
    greatest(l.period_start, ${periodStartAt('$3')}) AS period_start
  FROM claimed c
  CROSS JOIN LATERAL unnest(c.budget_ids) WITH ORDINALITY AS held(budget_id, position)
  JOIN locked l ON l.id = held.budget_id
),
updated AS (
  UPDATE budgets b
  SET spent_usd = c.spent_usd, reserved_usd = c.reserved_usd, period_start = c.period_start
  FROM current c
  WHERE b.id = c.id
  RETURNING b.id, b.period, b.period_start, b.spent_usd, b.reserved_usd, b.limit_usd, c.position
)
SELECT id, period, period_start, ${toNano('spent_usd')} AS spent, ${toNano('reserved_usd')} AS reserved,
  floor(limit_usd * 1000000000)::bigint AS limit_nano
FROM updated
ORDER BY position`;

/**
 * Raise spent: $1 budget id, $2 spent in nano-USD, $3 the counter's period start (null for
 * 'total'). A later period starts from $2; the same period keeps the larger value; an earlier
 * one (a stale counter) changes nothing.
 */
export const raiseSpentStatement = `
UPDATE budgets
SET spent_usd = CASE WHEN $3::timestamptz > period_start THEN $2::numeric * ${nano}
    ELSE greatest(spent_usd, $2::numeric * ${nano}) END,
  period_start = greatest(period_start, coalesce($3::timestamptz, period_start))
WHERE id = $1::text AND ($3::timestamptz IS NULL OR period_start <= $3::timestamptz)`;
