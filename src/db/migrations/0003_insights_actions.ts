import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { columnTypes } from './columns.js';

/**
 * Insights (what the firm heard, on a client's knowledge page), the theme taxonomy they are
 * filed under, follow-up actions with their comments, and the firm's settings for the loop
 * (when feedback counts as unactioned, when an action escalates, which answers raise actions).
 * Seeds the default professional-services theme taxonomy.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  // Two levels: a theme with parent_id null, and its sub-themes.
  await db.schema
    .createTable('themes')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('parent_id', t.id, (c) => c.references('themes.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('archived', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('themes_parent_idx').on('themes').columns(['parent_id', 'position']).execute();

  await db.schema
    .createTable('insights')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('quote', 'text')
    .addColumn('confidentiality', 'text', (c) => c.notNull())
    .addColumn('contact_id', t.id, (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('matter_id', t.id, (c) => c.references('matters.id').onDelete('set null'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('session_id', t.id, (c) => c.references('listening_sessions.id').onDelete('set null'))
    // A remark is promoted at most once; the insight keeps the remark's confidentiality.
    .addColumn('remark_id', t.id, (c) => c.unique().references('session_remarks.id').onDelete('set null'))
    // The check-in or problem it came from (tables of migration 0004). Plain ids, not foreign keys:
    // SQLite cannot drop a column that is a foreign key, and 0004 must be reversible. Those
    // records are never hard-deleted while anything links to them (checked in their services).
    .addColumn('check_in_id', t.id)
    .addColumn('problem_id', t.id)
    .addColumn('heard_on', t.date, (c) => c.notNull())
    .addColumn('recorded_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('insights_client_idx').on('insights').columns(['client_id', 'heard_on']).execute();
  await db.schema.createIndex('insights_session_idx').on('insights').column('session_id').execute();

  await db.schema
    .createTable('insight_themes')
    .addColumn('insight_id', t.id, (c) => c.notNull().references('insights.id').onDelete('cascade'))
    .addColumn('theme_id', t.id, (c) => c.notNull().references('themes.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('insight_themes_pk', ['insight_id', 'theme_id'])
    .execute();
  await db.schema.createIndex('insight_themes_theme_idx').on('insight_themes').column('theme_id').execute();

  await db.schema
    .createTable('actions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('owner_id', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('due_on', t.date)
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('wont_do_reason', 'text')
    .addColumn('closure_note', 'text')
    // Where it was born: an insight, a session, or raised automatically (detractor, high-severity concern).
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('insight_id', t.id, (c) => c.references('insights.id').onDelete('set null'))
    .addColumn('session_id', t.id, (c) => c.references('listening_sessions.id').onDelete('set null'))
    // Plain ids for the same reason as on insights.
    .addColumn('check_in_id', t.id)
    .addColumn('problem_id', t.id)
    .addColumn('created_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    // Any change or comment: an action untouched past the configured age escalates.
    .addColumn('last_activity_at', t.timestamp, (c) => c.notNull())
    .addColumn('closed_at', t.timestamp)
    .addColumn('escalated_at', t.timestamp)
    .addColumn('escalated_to', t.id, (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('actions_owner_idx').on('actions').columns(['owner_id', 'status', 'due_on']).execute();
  await db.schema.createIndex('actions_client_idx').on('actions').columns(['client_id', 'status']).execute();
  await db.schema.createIndex('actions_insight_idx').on('actions').column('insight_id').execute();
  await db.schema.createIndex('actions_session_idx').on('actions').column('session_id').execute();
  await db.schema.createIndex('actions_problem_idx').on('actions').column('problem_id').execute();
  await db.schema.createIndex('actions_check_in_idx').on('actions').column('check_in_id').execute();

  await db.schema
    .createTable('action_comments')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('action_id', t.id, (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('author_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('action_comments_action_idx').on('action_comments').columns(['action_id', 'id']).execute();

  // Firm-wide settings as JSON values under a key, editable by admins.
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await seed(db);
}

const now = '2026-01-01T00:00:00.000Z';

/** The default theme taxonomy for a professional-services firm: [theme, description, sub-themes]. */
const DEFAULT_THEMES: [string, string, string[]][] = [
  ['Responsiveness', 'How quickly and reliably the firm answers and acts', ['Speed of reply', 'Availability of partners', 'Meeting deadlines']],
  ['Communication', 'How and how often the firm keeps the client informed', ['Status updates', 'Channel and format', 'Bad news early', 'Plain language']],
  ['Billing and value', 'Fees, invoices and whether the work is worth it', ['Fee predictability', 'Invoice accuracy', 'Billing guidelines', 'Value for money']],
  ['Expertise', 'The quality of the legal and technical work', ['Technical quality', 'Sector knowledge', 'Commercial advice']],
  [
    'Understanding of the business',
    'How well the firm knows the client, its industry and its pressures',
    ['Industry knowledge', 'Strategy and priorities', 'Internal stakeholders'],
  ],
  ['Staffing and continuity', 'Who works on the matters and whether they stay', ['Team continuity', 'Seniority mix', 'Handovers']],
  ['Technology', 'Tools, portals and how the firm works digitally', ['Collaboration platforms', 'Data security', 'Reporting tools']],
  ['Innovation', 'New ways of working and of solving the client’s problems', ['Process improvement', 'Alternative fee arrangements', 'Legal technology']],
  ['Relationship', 'The relationship as a whole: trust, partnership, growth', ['Trust', 'Proactivity', 'Future needs']],
];

const DEFAULT_SETTINGS: Record<string, unknown> = {
  // Concerns and risks with no action after this many days are listed as "feedback unactioned".
  'loop.unactioned_after_days': 14,
  // An open action nobody has touched for this many days escalates to the programme lead.
  'loop.escalate_after_days': 21,
  // Raise a follow-up action for the relationship partner on every detractor (NPS 0–6) answer.
  'loop.auto_action_on_detractor': true,
  // Raise a follow-up action for the relationship partner on every high-severity concern.
  'loop.auto_action_on_high_concern': true,
  // Days from the trigger to the due date of an automatically raised action.
  'loop.auto_action_due_days': 7,
};

async function seed(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  let n = 0;
  const nextId = () => {
    n += 1;
    return `019a0000-0000-7000-8000-1${String(n).padStart(11, '0')}`;
  };
  for (const [position, [name, description, children]] of DEFAULT_THEMES.entries()) {
    const id = nextId();
    await sql`insert into themes (id, parent_id, name, description, position, archived, created_at, updated_at)
      values (${id}, null, ${name}, ${description}, ${position}, ${t.falseValue}, ${now}, ${now})`.execute(db);
    for (const [childPosition, child] of children.entries()) {
      await sql`insert into themes (id, parent_id, name, description, position, archived, created_at, updated_at)
        values (${nextId()}, ${id}, ${child}, null, ${childPosition}, ${t.falseValue}, ${now}, ${now})`.execute(db);
    }
  }
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
    await sql`insert into settings (key, value, updated_at) values (${key}, ${JSON.stringify(value)}, ${now})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['settings', 'action_comments', 'actions', 'insight_themes', 'insights', 'themes']) {
    await db.schema.dropTable(table).execute();
  }
}
