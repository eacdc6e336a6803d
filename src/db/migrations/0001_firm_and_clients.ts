import { type Kysely, sql } from 'kysely';
import { columnTypes } from './columns.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('users')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('office', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('active', t.bool, (c) => c.notNull().defaultTo(t.trueValue))
    .addColumn('password_hash', 'text')
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_name_idx').on('users').column('name').execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('team_members')
    .addColumn('team_id', t.id, (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
    .execute();
  await db.schema.createIndex('team_members_user_idx').on('team_members').column('user_id').execute();

  await db.schema
    .createTable('auth_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('auth_sessions_user_idx').on('auth_sessions').column('user_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_used_at', t.timestamp)
    .addColumn('expires_at', t.timestamp)
    .addColumn('revoked_at', t.timestamp)
    .execute();
  await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute();

  await db.schema
    .createTable('clients')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('industry', 'text')
    .addColumn('annual_fees', t.double)
    .addColumn('is_key_client', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
    .addColumn('parent_id', t.id, (c) => c.references('clients.id').onDelete('set null'))
    .addColumn('competitors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('notes', 'text')
    .addColumn('walled', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  // Keyset pagination sorts on (column, id): one index per sortable column.
  await db.schema.createIndex('clients_name_idx').on('clients').columns(['name', 'id']).execute();
  await db.schema.createIndex('clients_status_idx').on('clients').columns(['status', 'id']).execute();
  await db.schema.createIndex('clients_updated_idx').on('clients').columns(['updated_at', 'id']).execute();
  await db.schema.createIndex('clients_created_idx').on('clients').columns(['created_at', 'id']).execute();
  // The fees sort puts unknown fees lowest (coalesce to -1); the index has to match that expression.
  await db.schema.createIndex('clients_fees_idx').on('clients').expression(sql`coalesce(annual_fees, -1), id`).execute();
  await db.schema.createIndex('clients_parent_idx').on('clients').column('parent_id').execute();
  await db.schema.createIndex('clients_walled_idx').on('clients').column('walled').execute();

  await db.schema
    .createTable('client_wall_members')
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('client_wall_members_pk', ['client_id', 'user_id'])
    .execute();
  await db.schema.createIndex('client_wall_members_user_idx').on('client_wall_members').column('user_id').execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('preferred_name', 'text')
    .addColumn('role', 'text')
    .addColumn('job_title', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('is_decision_maker', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
    .addColumn('left_on', t.date)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contacts_client_idx').on('contacts').columns(['client_id', 'name']).execute();

  await db.schema
    .createTable('matters')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('practice_area', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opened_on', t.date)
    .addColumn('closed_on', t.date)
    .addColumn('client_project_code', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('matters_client_idx').on('matters').columns(['client_id', 'name']).execute();

  await db.schema
    .createTable('client_team')
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('team_role', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('client_team_pk', ['client_id', 'user_id'])
    .execute();
  await db.schema.createIndex('client_team_user_idx').on('client_team').column('user_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('actor_id', t.id)
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('client_id', t.id)
    .addColumn('client_walled', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .execute();
  // Audit ids are UUIDv7, so ordering by id is ordering by time.
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['entity', 'entity_id']).execute();
  await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor_id', 'id']).execute();
  await db.schema.createIndex('audit_log_client_idx').on('audit_log').column('client_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'audit_log',
    'client_team',
    'matters',
    'contacts',
    'client_wall_members',
    'clients',
    'api_tokens',
    'auth_sessions',
    'team_members',
    'teams',
    'users',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
