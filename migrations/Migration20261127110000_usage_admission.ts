import { Migration } from '@mikro-orm/migrations';

/**
 * Admission as one function: the organisation's bucket row is locked first (the lock every
 * writer of its usage takes), every limit is checked, and only if all pass is the call
 * counted and the cost reserved, so a refused request changes nothing but the bucket's
 * restore. Periods only move forward: a counter whose period is newer than the caller's
 * clock keeps counting in it, so two instances whose clocks differ never reset a counter
 * back and forth. Without a time argument the database's clock is used.
 */
export class Migration20261127110000_usage_admission extends Migration {
  override async up(): Promise<void> {
    this
      .addSql(`create or replace function wpx_usage_add(p_org uuid, p_dimension text, p_period timestamptz, p_n bigint)
returns bigint language sql as $$
  insert into usage_counter as u (organization_id, dimension, period_start, used) values (p_org, p_dimension, p_period, p_n)
  on conflict (organization_id, dimension) do update
    set used = case when u.period_start < excluded.period_start then excluded.used else u.used + excluded.used end,
        period_start = greatest(u.period_start, excluded.period_start)
  returning used
$$;`);
    this.addSql(`create or replace function wpx_usage_used(p_org uuid, p_dimension text, p_period timestamptz)
returns bigint language sql stable as $$
  select coalesce((select case when u.period_start < p_period then 0 else u.used end
                     from usage_counter u where u.organization_id = p_org and u.dimension = p_dimension), 0)
$$;`);
    this.addSql(`create or replace function wpx_usage_admit(
  p_org uuid, p_now timestamptz, p_calls_limit bigint, p_window_limit bigint, p_window_ms bigint,
  p_bandwidth_limit bigint, p_bytes bigint, p_bucket float8, p_restore float8, p_cost float8, p_refund float8)
returns table (o_outcome text, o_bandwidth bigint, o_calls bigint, o_window bigint, o_tokens float8, o_at timestamptz)
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
  o_outcome := case
    when o_bandwidth >= p_bandwidth_limit then 'BANDWIDTH'
    when o_calls >= p_calls_limit then 'API_CALLS'
    when o_window >= p_window_limit then 'REQUESTS_PER_SECOND'
    when o_tokens < p_cost then 'COST'
    else 'ADMITTED' end;
  if o_outcome = 'ADMITTED' then
    o_calls := wpx_usage_add(p_org, 'API_CALLS', v_day, 1);
    o_window := wpx_usage_add(p_org, 'REQUESTS_PER_SECOND', v_window, 1);
    o_tokens := o_tokens - p_cost;
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

  override async down(): Promise<void> {
    this.addSql('drop function if exists wpx_usage_settle(uuid, timestamptz, bigint, float8);');
    this.addSql(
      'drop function if exists wpx_usage_admit(uuid, timestamptz, bigint, bigint, bigint, bigint, bigint, float8, float8, float8, float8);',
    );
    this.addSql('drop function if exists wpx_usage_used(uuid, text, timestamptz);');
    this.addSql('drop function if exists wpx_usage_add(uuid, text, timestamptz, bigint);');
  }
}
