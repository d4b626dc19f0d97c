/**
 * The synthetic usage the benchmark loads: one statement per chunk, `INSERT … SELECT` over
 * `generate_series`, so the rows are made inside PostgreSQL (no client-side encoding) and the
 * rollup triggers run exactly as they do for the ledger's batches.
 *
 * The shape: 50 organisations, one of which (`org_00`) makes a fifth of all requests; 20 keys per
 * organisation, each using two of 8 models, keys spread over 5 teams (two keys without one);
 * times spread evenly over `days` days before `end`; some failures, cache hits and cache writes.
 * Every value is a function of the row number, so two runs load the same data.
 */
export const heavyOrganization = 'org_00';

export const synthetic = {
  organizations: 50,
  keysPerOrganization: 20,
  models: 8,
};

/** The INSERT for row numbers [$1, $2]; $3 is the end of the data (exclusive), $4 the days it spans. */
export const insertChunkSql = `
INSERT INTO usage_records (request_id, organization_id, api_key_id, team_id, end_user, endpoint, requested_model,
  provider, deployment, served_model, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens,
  cache_write_1h_tokens, cost_usd, price_version, unpriced, usage_source, latency_ms, time_to_first_token_ms,
  streamed, status, error_code, model_group, attempts, fallback_reason, cache_status, cache_saved_usd, created_at)
SELECT 'bench_' || g,
       organization,
       organization || '_key_' || key_index,
       CASE WHEN key_index >= 18 THEN NULL ELSE organization || '_team_' || (key_index % 5) END,
       NULL,
       'chat.completions',
       model,
       'sim',
       model,
       model,
       prompt_tokens,
       completion_tokens,
       CASE WHEN g % 10 = 0 THEN 64 ELSE 0 END,
       CASE WHEN g % 13 = 0 THEN 100 ELSE 0 END,
       0,
       cost,
       'bench',
       false,
       'provider',
       120 + g % 900,
       NULL,
       g % 3 = 0,
       status,
       CASE WHEN status >= 400 THEN 'UPSTREAM_ERROR' ELSE NULL END,
       model,
       CASE WHEN status = 429 THEN 0 ELSE 1 END,
       NULL,
       cache_status,
       CASE WHEN cache_status = 'hit-l1' THEN cost ELSE 0 END,
       $3::timestamptz - ((g * 2654435761) % ($4::int8 * 86400000)) * interval '1 millisecond'
  FROM (
    -- why g / 5 for the key: g % 5 picks the organisation, so the key must vary with the rest of g.
    SELECT g,
           CASE WHEN g % 5 = 0 THEN 'org_00' ELSE 'org_' || lpad(((g / 5) % 49 + 1)::text, 2, '0') END AS organization,
           (g / 5 * 7) % 20 AS key_index,
           'model-' || (((g / 5 * 7) % 20 + (g / 100) % 2 * 3) % 8) AS model,
           50 + (g * 31) % 4000 AS prompt_tokens,
           (g * 17) % 1000 AS completion_tokens,
           ((50 + (g * 31) % 4000) * 25 + ((g * 17) % 1000) * 100)::numeric / 10000000 AS cost,
           CASE WHEN g % 50 = 0 THEN 500 WHEN g % 97 = 0 THEN 429 ELSE 200 END AS status,
           CASE g % 8 WHEN 0 THEN 'hit-l1' WHEN 1 THEN 'miss' WHEN 2 THEN 'miss' ELSE NULL END AS cache_status
      FROM generate_series($1::int8, $2::int8) AS g
  ) AS rows`;
