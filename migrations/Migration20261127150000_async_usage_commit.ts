import { Migration } from '@mikro-orm/migrations';

/**
 * Admission and settlement commit without waiting for the WAL to reach disk (synchronous_commit
 * off for their own transaction only): under load the fsync per admitted request was most of the
 * database time metering cost. What a database crash can lose is the last few hundred
 * milliseconds of usage counts (wal_writer_delay × 3 at most), documented in docs/decisions.md.
 */
export class Migration20261127150000_async_usage_commit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function wpx_usage_admit(
  p_org uuid, p_now timestamptz, p_calls_limit bigint, p_window_limit bigint, p_window_ms bigint,
  p_bandwidth_limit bigint, p_bytes bigint, p_bucket float8, p_restore float8, p_cost float8, p_refund float8,
  p_subscription uuid, p_api_key uuid, p_field text, p_subscriptions_limit int, p_stale_ms bigint)
returns table (o_outcome text, o_bandwidth bigint, o_calls bigint, o_window bigint, o_tokens float8,
               o_subscriptions bigint, o_at timestamptz)
language plpgsql as $$
declare
  v_now timestamptz := coalesce(p_now, clock_timestamp());
  v_day timestamptz := to_timestamp(floor(extract(epoch from v_now) / 86400) * 86400);
  v_window timestamptz := to_timestamp(floor(extract(epoch from v_now) * 1000 / p_window_ms) * p_window_ms / 1000.0);
  v_tokens float8;
  v_updated timestamptz;
begin
  -- Counters may lose their last few hundred milliseconds in a database crash, never more: the
  -- admission's commit does not wait for the WAL flush (an fsync per request under load).
  perform set_config('synchronous_commit', 'off', true);
  insert into usage_bucket (organization_id, tokens, updated_at) values (p_org, p_bucket, v_now)
    on conflict (organization_id) do nothing;
  select k.tokens, k.updated_at into v_tokens, v_updated from usage_bucket k where k.organization_id = p_org for update;
  o_tokens := least(p_bucket, v_tokens + p_refund + p_restore * greatest(0, extract(epoch from (v_now - v_updated))));
  o_bandwidth := wpx_usage_add(p_org, 'BANDWIDTH', v_day, p_bytes);
  o_calls := wpx_usage_used(p_org, 'API_CALLS', v_day);
  o_window := wpx_usage_used(p_org, 'REQUESTS_PER_SECOND', v_window);
  o_subscriptions := 0;
  if p_subscription is not null then
    delete from active_subscription s
     where s.organization_id = p_org and s.heartbeat_at < v_now - make_interval(secs => p_stale_ms / 1000.0);
    select count(*) into o_subscriptions from active_subscription s where s.organization_id = p_org;
  end if;
  o_outcome := case
    when o_bandwidth >= p_bandwidth_limit then 'BANDWIDTH'
    when o_calls >= p_calls_limit then 'API_CALLS'
    when o_window >= p_window_limit then 'REQUESTS_PER_SECOND'
    when p_subscription is not null and o_subscriptions >= p_subscriptions_limit then 'SUBSCRIPTIONS'
    when o_tokens < p_cost then 'COST'
    else 'ADMITTED' end;
  if o_outcome = 'ADMITTED' then
    o_calls := wpx_usage_add(p_org, 'API_CALLS', v_day, 1);
    o_window := wpx_usage_add(p_org, 'REQUESTS_PER_SECOND', v_window, 1);
    o_tokens := o_tokens - p_cost;
    if p_subscription is not null then
      insert into active_subscription (id, organization_id, api_key_id, field, started_at, heartbeat_at)
        values (p_subscription, p_org, p_api_key, p_field, v_now, v_now);
      o_subscriptions := o_subscriptions + 1;
    end if;
  end if;
  update usage_bucket set tokens = o_tokens, updated_at = greatest(v_updated, v_now) where organization_id = p_org;
  o_at := v_now;
  return next;
end
$$;`);
    this
      .addSql(`create or replace function wpx_usage_settle(p_org uuid, p_now timestamptz, p_bytes bigint, p_refund float8)
returns void language plpgsql as $$
declare
  v_now timestamptz := coalesce(p_now, clock_timestamp());
begin
  -- Counters may lose their last few hundred milliseconds in a database crash, never more: the
  -- admission's commit does not wait for the WAL flush (an fsync per request under load).
  perform set_config('synchronous_commit', 'off', true);
  perform 1 from usage_bucket where organization_id = p_org for update;
  perform wpx_usage_add(p_org, 'BANDWIDTH', to_timestamp(floor(extract(epoch from v_now) / 86400) * 86400), p_bytes);
  update usage_bucket set tokens = tokens + p_refund where organization_id = p_org;
end
$$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace function wpx_usage_admit(
  p_org uuid, p_now timestamptz, p_calls_limit bigint, p_window_limit bigint, p_window_ms bigint,
  p_bandwidth_limit bigint, p_bytes bigint, p_bucket float8, p_restore float8, p_cost float8, p_refund float8,
  p_subscription uuid, p_api_key uuid, p_field text, p_subscriptions_limit int, p_stale_ms bigint)
returns table (o_outcome text, o_bandwidth bigint, o_calls bigint, o_window bigint, o_tokens float8,
               o_subscriptions bigint, o_at timestamptz)
language plpgsql as $$
declare
  v_now timestamptz := coalesce(p_now, clock_timestamp());
  v_day timestamptz := to_timestamp(floor(extract(epoch from v_now) / 86400) * 86400);
  v_window timestamptz := to_timestamp(floor(extract(epoch from v_now) * 1000 / p_window_ms) * p_window_ms / 1000.0);
  v_tokens float8;
  v_updated timestamptz;
begin
  insert into usage_bucket (organization_id, tokens, updated_at) values (p_org, p_bucket, v_now)
    on conflict (organization_id) do nothing;
  select k.tokens, k.updated_at into v_tokens, v_updated from usage_bucket k where k.organization_id = p_org for update;
  o_tokens := least(p_bucket, v_tokens + p_refund + p_restore * greatest(0, extract(epoch from (v_now - v_updated))));
  o_bandwidth := wpx_usage_add(p_org, 'BANDWIDTH', v_day, p_bytes);
  o_calls := wpx_usage_used(p_org, 'API_CALLS', v_day);
  o_window := wpx_usage_used(p_org, 'REQUESTS_PER_SECOND', v_window);
  o_subscriptions := 0;
  if p_subscription is not null then
    delete from active_subscription s
     where s.organization_id = p_org and s.heartbeat_at < v_now - make_interval(secs => p_stale_ms / 1000.0);
    select count(*) into o_subscriptions from active_subscription s where s.organization_id = p_org;
  end if;
  o_outcome := case
    when o_bandwidth >= p_bandwidth_limit then 'BANDWIDTH'
    when o_calls >= p_calls_limit then 'API_CALLS'
    when o_window >= p_window_limit then 'REQUESTS_PER_SECOND'
    when p_subscription is not null and o_subscriptions >= p_subscriptions_limit then 'SUBSCRIPTIONS'
    when o_tokens < p_cost then 'COST'
    else 'ADMITTED' end;
  if o_outcome = 'ADMITTED' then
    o_calls := wpx_usage_add(p_org, 'API_CALLS', v_day, 1);
    o_window := wpx_usage_add(p_org, 'REQUESTS_PER_SECOND', v_window, 1);
    o_tokens := o_tokens - p_cost;
    if p_subscription is not null then
      insert into active_subscription (id, organization_id, api_key_id, field, started_at, heartbeat_at)
        values (p_subscription, p_org, p_api_key, p_field, v_now, v_now);
      o_subscriptions := o_subscriptions + 1;
    end if;
  end if;
  update usage_bucket set tokens = o_tokens, updated_at = greatest(v_updated, v_now) where organization_id = p_org;
  o_at := v_now;
  return next;
end
$$;`);
    this
      .addSql(`create or replace function wpx_usage_settle(p_org uuid, p_now timestamptz, p_bytes bigint, p_refund float8)
returns void language plpgsql as $$
declare
  v_now timestamptz := coalesce(p_now, clock_timestamp());
begin
  perform 1 from usage_bucket where organization_id = p_org for update;
  perform wpx_usage_add(p_org, 'BANDWIDTH', to_timestamp(floor(extract(epoch from v_now) / 86400) * 86400), p_bytes);
  update usage_bucket set tokens = tokens + p_refund where organization_id = p_org;
end
$$;`);
  }
}
