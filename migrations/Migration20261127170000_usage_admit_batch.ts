import { Migration } from '@mikro-orm/migrations';

/**
 * Group admission: `wpx_usage_admit_batch` admits several requests of one organisation in one
 * statement. It takes the organisation's bucket-row lock once (the lock every writer of its usage
 * takes first) and decides the items in order, each exactly as `wpx_usage_admit` would if the
 * items were sent one after the other: the bytes and refund carried over ride on the first item;
 * a refused item counts nothing, so later items see only what earlier admitted items consumed.
 * Per-request values (time, limits of the request's plan, cost, subscription) are arrays, item i
 * at index i. The counters and the bucket are kept in variables while the lock is held and
 * written once at the end, with the same period rules as `wpx_usage_add`/`wpx_usage_used`
 * (periods only move forward), and the bucket's `updated_at` rounded to the column's
 * milliseconds between items as a stored row would be. One row per item, in order.
 * `wpx_usage_admit` stays (one request; tests and tools call it).
 */
export class Migration20261127170000_usage_admit_batch extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function wpx_usage_admit_batch(
  p_org uuid, p_now timestamptz[], p_calls_limit bigint[], p_window_limit bigint[], p_window_ms bigint,
  p_bandwidth_limit bigint[], p_bytes bigint, p_bucket float8[], p_restore float8[], p_cost float8[],
  p_refund float8, p_subscription uuid[], p_api_key uuid[], p_field text[], p_subscriptions_limit int[],
  p_stale_ms bigint)
returns table (o_ordinality int, o_outcome text, o_bandwidth bigint, o_calls bigint, o_window bigint,
               o_tokens float8, o_subscriptions bigint, o_at timestamptz)
language plpgsql as $$
declare
  v_n int := coalesce(cardinality(p_cost), 0);
  v_now timestamptz;
  v_day timestamptz;
  v_window timestamptz;
  v_tokens float8;
  v_updated timestamptz;
  -- Each counter as stored (period start, used; null: no row), read once under the lock.
  v_bw_period timestamptz;
  v_bw bigint;
  v_calls_period timestamptz;
  v_calls bigint;
  v_win_period timestamptz;
  v_win bigint;
  v_bw_period0 timestamptz;
  v_bw0 bigint;
  v_calls_period0 timestamptz;
  v_calls0 bigint;
  v_win_period0 timestamptz;
  v_win0 bigint;
  v_bytes bigint;
begin
  if v_n = 0 then
    return;
  end if;
  -- As wpx_usage_admit: the commit does not wait for the WAL flush (this transaction only).
  perform set_config('synchronous_commit', 'off', true);
  v_now := coalesce(p_now[1], clock_timestamp());
  insert into usage_bucket (organization_id, tokens, updated_at) values (p_org, p_bucket[1], v_now)
    on conflict (organization_id) do nothing;
  select k.tokens, k.updated_at into v_tokens, v_updated from usage_bucket k where k.organization_id = p_org for update;
  select u.period_start, u.used into v_bw_period, v_bw
    from usage_counter u where u.organization_id = p_org and u.dimension = 'BANDWIDTH';
  select u.period_start, u.used into v_calls_period, v_calls
    from usage_counter u where u.organization_id = p_org and u.dimension = 'API_CALLS';
  select u.period_start, u.used into v_win_period, v_win
    from usage_counter u where u.organization_id = p_org and u.dimension = 'REQUESTS_PER_SECOND';
  v_bw_period0 := v_bw_period; v_bw0 := v_bw;
  v_calls_period0 := v_calls_period; v_calls0 := v_calls;
  v_win_period0 := v_win_period; v_win0 := v_win;

  for i in 1 .. v_n loop
    if i > 1 then
      v_now := coalesce(p_now[i], clock_timestamp());
    end if;
    v_day := to_timestamp(floor(extract(epoch from v_now) / 86400) * 86400);
    v_window := to_timestamp(floor(extract(epoch from v_now) * 1000 / p_window_ms) * p_window_ms / 1000.0);
    -- The refund and bytes carried over belong to the first item, as to a single admission.
    o_tokens := least(p_bucket[i], v_tokens + case when i = 1 then p_refund else 0 end
                      + p_restore[i] * greatest(0, extract(epoch from (v_now - v_updated))));
    -- wpx_usage_add(p_org, 'BANDWIDTH', v_day, bytes)
    v_bytes := case when i = 1 then p_bytes else 0 end;
    if v_bw_period is null or v_bw_period < v_day then
      v_bw_period := v_day;
      v_bw := v_bytes;
    else
      v_bw := v_bw + v_bytes;
    end if;
    o_bandwidth := v_bw;
    -- wpx_usage_used(p_org, 'API_CALLS', v_day), wpx_usage_used(p_org, 'REQUESTS_PER_SECOND', v_window)
    o_calls := case when v_calls_period is null or v_calls_period < v_day then 0 else v_calls end;
    o_window := case when v_win_period is null or v_win_period < v_window then 0 else v_win end;
    o_subscriptions := 0;
    if p_subscription[i] is not null then
      delete from active_subscription s
       where s.organization_id = p_org and s.heartbeat_at < v_now - make_interval(secs => p_stale_ms / 1000.0);
      select count(*) into o_subscriptions from active_subscription s where s.organization_id = p_org;
    end if;
    o_outcome := case
      when o_bandwidth >= p_bandwidth_limit[i] then 'BANDWIDTH'
      when o_calls >= p_calls_limit[i] then 'API_CALLS'
      when o_window >= p_window_limit[i] then 'REQUESTS_PER_SECOND'
      when p_subscription[i] is not null and o_subscriptions >= p_subscriptions_limit[i] then 'SUBSCRIPTIONS'
      when o_tokens < p_cost[i] then 'COST'
      else 'ADMITTED' end;
    if o_outcome = 'ADMITTED' then
      -- wpx_usage_add(p_org, 'API_CALLS', v_day, 1), wpx_usage_add(p_org, 'REQUESTS_PER_SECOND', v_window, 1)
      if v_calls_period is null or v_calls_period < v_day then
        v_calls_period := v_day;
        v_calls := 1;
      else
        v_calls := v_calls + 1;
      end if;
      o_calls := v_calls;
      if v_win_period is null or v_win_period < v_window then
        v_win_period := v_window;
        v_win := 1;
      else
        v_win := v_win + 1;
      end if;
      o_window := v_win;
      o_tokens := o_tokens - p_cost[i];
      if p_subscription[i] is not null then
        insert into active_subscription (id, organization_id, api_key_id, field, started_at, heartbeat_at)
          values (p_subscription[i], p_org, p_api_key[i], p_field[i], v_now, v_now);
        o_subscriptions := o_subscriptions + 1;
      end if;
    end if;
    -- What the bucket row would hold after this item (updated_at is a timestamptz(3) column).
    v_tokens := o_tokens;
    v_updated := greatest(v_updated, v_now)::timestamptz(3);
    o_ordinality := i;
    o_at := v_now;
    return next;
  end loop;

  update usage_bucket set tokens = v_tokens, updated_at = v_updated where organization_id = p_org;
  if v_bw_period is distinct from v_bw_period0 or v_bw is distinct from v_bw0 then
    insert into usage_counter (organization_id, dimension, period_start, used) values (p_org, 'BANDWIDTH', v_bw_period, v_bw)
      on conflict (organization_id, dimension) do update set period_start = excluded.period_start, used = excluded.used;
  end if;
  if v_calls_period is distinct from v_calls_period0 or v_calls is distinct from v_calls0 then
    insert into usage_counter (organization_id, dimension, period_start, used) values (p_org, 'API_CALLS', v_calls_period, v_calls)
      on conflict (organization_id, dimension) do update set period_start = excluded.period_start, used = excluded.used;
  end if;
  if v_win_period is distinct from v_win_period0 or v_win is distinct from v_win0 then
    insert into usage_counter (organization_id, dimension, period_start, used) values (p_org, 'REQUESTS_PER_SECOND', v_win_period, v_win)
      on conflict (organization_id, dimension) do update set period_start = excluded.period_start, used = excluded.used;
  end if;
end
$$;`);
  }

  override async down(): Promise<void> {
    this.addSql(
      'drop function if exists wpx_usage_admit_batch(uuid, timestamptz[], bigint[], bigint[], bigint, bigint[], bigint, float8[], float8[], float8[], float8, uuid[], uuid[], text[], int[], bigint);',
    );
  }
}
