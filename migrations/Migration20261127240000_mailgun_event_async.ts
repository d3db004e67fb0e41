import { Migration } from '@mikro-orm/migrations';

/**
 * Webhook events that only record engagement (delivered, opened, clicked, soft bounces) commit
 * without waiting for the WAL flush; those that suppress an address (hard bounce, complaint,
 * unsubscribe) still wait. What a database crash can lose: the last few hundred milliseconds of
 * engagement events Mailgun was told were received (docs/decisions.md, "Email sending").
 */
export class Migration20261127240000_mailgun_event_async extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function wpx_mailgun_event(
  p_token text, p_event_id text, p_member uuid, p_kind text, p_reason text, p_recipient text,
  p_from text[], p_to text, p_bounce text, p_contact_status text, p_suppress text)
returns table (o_outcome text, o_organization uuid, o_campaign uuid)
language plpgsql as $$
declare
  m record;
begin
  -- Engagement events (delivered, opened, clicked, soft bounces) commit without waiting for the WAL
  -- flush; hard bounces, complaints and unsubscribes, which suppress an address, wait for it.
  if p_contact_status is null then
    perform set_config('synchronous_commit', 'off', true);
  end if;
  insert into email_webhook_token (token, received_at) values (p_token, now()) on conflict do nothing;
  if not found then
    o_outcome := 'REPLAY';
    return next;
    return;
  end if;
  if p_member is null or p_kind is null then
    o_outcome := 'IGNORED';
    return next;
    return;
  end if;
  select organization_id, campaign_id, contact_id, email into m from campaign_member where id = p_member;
  if not found then
    o_outcome := 'IGNORED';
    return next;
    return;
  end if;
  o_organization := m.organization_id;
  o_campaign := m.campaign_id;
  insert into email_event (id, organization_id, event_id, member, campaign, kind, received_at)
  values (gen_random_uuid(), m.organization_id, p_event_id, p_member, m.campaign_id, p_kind, now())
  on conflict (event_id) do nothing;
  if not found then
    o_outcome := 'DUPLICATE';
    return next;
    return;
  end if;
  update campaign_member set status = p_to, bounce_type = coalesce(p_bounce, bounce_type),
         error = coalesce(p_reason, error), updated_at = now()
   where id = p_member and organization_id = m.organization_id and status = any(p_from);
  if p_contact_status is not null then
    update contact set email_status = p_contact_status, updated_at = now()
     where id = m.contact_id and organization_id = m.organization_id;
    if coalesce(m.email, p_recipient) is not null then
      insert into email_suppression (id, organization_id, email, reason, created_at)
      values (gen_random_uuid(), m.organization_id, coalesce(m.email, p_recipient), p_suppress, now())
      on conflict (organization_id, email) do nothing;
    end if;
  end if;
  o_outcome := 'APPLIED';
  return next;
end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace function wpx_mailgun_event(
  p_token text, p_event_id text, p_member uuid, p_kind text, p_reason text, p_recipient text,
  p_from text[], p_to text, p_bounce text, p_contact_status text, p_suppress text)
returns table (o_outcome text, o_organization uuid, o_campaign uuid)
language plpgsql as $$
declare
  m record;
begin
  insert into email_webhook_token (token, received_at) values (p_token, now()) on conflict do nothing;
  if not found then
    o_outcome := 'REPLAY';
    return next;
    return;
  end if;
  if p_member is null or p_kind is null then
    o_outcome := 'IGNORED';
    return next;
    return;
  end if;
  select organization_id, campaign_id, contact_id, email into m from campaign_member where id = p_member;
  if not found then
    o_outcome := 'IGNORED';
    return next;
    return;
  end if;
  o_organization := m.organization_id;
  o_campaign := m.campaign_id;
  insert into email_event (id, organization_id, event_id, member, campaign, kind, received_at)
  values (gen_random_uuid(), m.organization_id, p_event_id, p_member, m.campaign_id, p_kind, now())
  on conflict (event_id) do nothing;
  if not found then
    o_outcome := 'DUPLICATE';
    return next;
    return;
  end if;
  update campaign_member set status = p_to, bounce_type = coalesce(p_bounce, bounce_type),
         error = coalesce(p_reason, error), updated_at = now()
   where id = p_member and organization_id = m.organization_id and status = any(p_from);
  if p_contact_status is not null then
    update contact set email_status = p_contact_status, updated_at = now()
     where id = m.contact_id and organization_id = m.organization_id;
    if coalesce(m.email, p_recipient) is not null then
      insert into email_suppression (id, organization_id, email, reason, created_at)
      values (gen_random_uuid(), m.organization_id, coalesce(m.email, p_recipient), p_suppress, now())
      on conflict (organization_id, email) do nothing;
    end if;
  end if;
  o_outcome := 'APPLIED';
  return next;
end $$;`);
  }
}
