import { type Kysely, sql } from 'kysely';
import { columnTypes } from './columns.js';

/**
 * The listening programme and listening sessions: programmes with targets, nominations and
 * their history, interview guides (versioned), sessions with their stakeholders, capture
 * (notes per question, scores, remarks with confidentiality) and the summary.
 * Seeds the default client listening guide and the default score dimensions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('programmes')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('starts_on', t.date, (c) => c.notNull())
    .addColumn('ends_on', t.date, (c) => c.notNull())
    .addColumn('owner_id', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('target_sessions', 'integer')
    .addColumn('target_key_client_share', t.double)
    .addColumn('target_at_risk_share', t.double)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('programmes_starts_idx').on('programmes').columns(['starts_on', 'id']).execute();

  // A partner's answer to the programme itself: "yes, I'm in" is what the participation flag
  // compares with the clients they then put forward.
  await db.schema
    .createTable('programme_partners')
    .addColumn('programme_id', t.id, (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('commitment', 'text', (c) => c.notNull())
    .addColumn('responded_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('programme_partners_pk', ['programme_id', 'user_id'])
    .execute();

  // One nomination per (programme, client, partner): each relationship partner answers for themselves.
  await db.schema
    .createTable('nominations')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('programme_id', t.id, (c) => c.notNull().references('programmes.id').onDelete('cascade'))
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('partner_id', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('proposed_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('ask_again_on', t.date)
    .addColumn('note', 'text')
    .addColumn('responded_at', t.timestamp)
    .addColumn('last_reminded_at', t.timestamp)
    .addColumn('reminder_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('nominations_programme_client_partner_uq', ['programme_id', 'client_id', 'partner_id'])
    .execute();
  await db.schema.createIndex('nominations_partner_idx').on('nominations').columns(['partner_id', 'status']).execute();
  await db.schema.createIndex('nominations_client_idx').on('nominations').column('client_id').execute();

  await db.schema
    .createTable('nomination_events')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('nomination_id', t.id, (c) => c.notNull().references('nominations.id').onDelete('cascade'))
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('actor_id', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('ask_again_on', t.date)
    .execute();
  await db.schema.createIndex('nomination_events_nomination_idx').on('nomination_events').columns(['nomination_id', 'id']).execute();

  await db.schema
    .createTable('interview_guides')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('is_default', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
    .addColumn('archived', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  // A version is immutable once written: editing a guide writes the next version, and a
  // session keeps the version it was planned with.
  await db.schema
    .createTable('guide_versions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('guide_id', t.id, (c) => c.notNull().references('interview_guides.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('sections', 'text', (c) => c.notNull())
    .addColumn('created_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('guide_versions_guide_version_uq', ['guide_id', 'version'])
    .execute();

  await db.schema
    .createTable('score_dimensions')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('active', t.bool, (c) => c.notNull().defaultTo(t.trueValue))
    .execute();

  await db.schema
    .createTable('listening_sessions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('client_id', t.id, (c) => c.notNull().references('clients.id').onDelete('cascade'))
    .addColumn('programme_id', t.id, (c) => c.references('programmes.id').onDelete('set null'))
    .addColumn('nomination_id', t.id, (c) => c.references('nominations.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('objective', 'text', (c) => c.notNull())
    .addColumn('expectations', 'text')
    .addColumn('agenda', 'text')
    .addColumn('interviewer_id', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('independence_override_reason', 'text')
    .addColumn('independence_override_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('location', 'text')
    .addColumn('video_platform', 'text')
    .addColumn('video_link', 'text')
    .addColumn('starts_at', t.timestamp)
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('guide_version_id', t.id, (c) => c.references('guide_versions.id'))
    // RFC 5545 SEQUENCE: bumped whenever the invite's time, place or attendees change.
    .addColumn('ics_sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancel_reason', 'text')
    .addColumn('nps', 'integer')
    .addColumn('satisfaction', 'integer')
    .addColumn('completed_at', t.timestamp)
    .addColumn('summary', 'text')
    .addColumn('summary_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('summary_reviewed_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('summary_reviewed_at', t.timestamp)
    .addColumn('summary_shared_on', t.date)
    .addColumn('summary_shared_channel', 'text')
    .addColumn('created_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('listening_sessions_client_idx').on('listening_sessions').columns(['client_id', 'starts_at']).execute();
  await db.schema.createIndex('listening_sessions_programme_idx').on('listening_sessions').column('programme_id').execute();
  await db.schema.createIndex('listening_sessions_interviewer_idx').on('listening_sessions').column('interviewer_id').execute();
  // The session list sorts undated sessions after every dated one: the index has to match that
  // expression exactly (the literal too), or both databases sort the whole table for each page.
  await db.schema
    .createIndex('listening_sessions_sort_idx')
    .on('listening_sessions')
    .expression(sql`coalesce(starts_at, '9999-12-31T23:59:59.999Z'), id`)
    .execute();

  await db.schema
    .createTable('session_contacts')
    .addColumn('session_id', t.id, (c) => c.notNull().references('listening_sessions.id').onDelete('cascade'))
    .addColumn('contact_id', t.id, (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('session_contacts_pk', ['session_id', 'contact_id'])
    .execute();

  await db.schema
    .createTable('session_attendees')
    .addColumn('session_id', t.id, (c) => c.notNull().references('listening_sessions.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('session_attendees_pk', ['session_id', 'user_id'])
    .execute();
  await db.schema.createIndex('session_attendees_user_idx').on('session_attendees').column('user_id').execute();

  // Notes per guide question; `version` makes concurrent edits a conflict instead of a silent overwrite.
  await db.schema
    .createTable('session_answers')
    .addColumn('session_id', t.id, (c) => c.notNull().references('listening_sessions.id').onDelete('cascade'))
    .addColumn('question_key', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('session_answers_pk', ['session_id', 'question_key'])
    .execute();

  await db.schema
    .createTable('session_scores')
    .addColumn('session_id', t.id, (c) => c.notNull().references('listening_sessions.id').onDelete('cascade'))
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('session_scores_pk', ['session_id', 'dimension'])
    .execute();

  await db.schema
    .createTable('session_remarks')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('session_id', t.id, (c) => c.notNull().references('listening_sessions.id').onDelete('cascade'))
    .addColumn('speaker_contact_id', t.id, (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('theme', 'text')
    .addColumn('confidentiality', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_by', t.id, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('session_remarks_session_idx').on('session_remarks').columns(['session_id', 'id']).execute();

  await seed(db);
}

const now = '2026-01-01T00:00:00.000Z';

/** The default client listening guide: the questions a listening session is built around. */
const DEFAULT_GUIDE_SECTIONS = [
  {
    key: 'relationship',
    title: 'The relationship',
    questions: [
      { key: 'how_going', text: 'How is the relationship with the firm going, in your own words?', help: 'Let them talk; note the words they use.' },
      { key: 'what_works', text: 'What works well? What should we keep doing?', help: null },
      { key: 'one_thing', text: 'If we could do one thing better, what would it be?', help: 'Ask for an example.' },
    ],
  },
  {
    key: 'value',
    title: 'Value and understanding',
    questions: [
      { key: 'value', text: 'Do you get value for what you spend with us? Where less so?', help: 'Billing, predictability, staffing.' },
      {
        key: 'understanding',
        text: 'How well do we understand your business, your industry and your pressures?',
        help: 'What should every lawyer on the team know about you?',
      },
    ],
  },
  {
    key: 'working_together',
    title: 'Working together',
    questions: [
      {
        key: 'communication',
        text: 'How do you prefer to hear from us — channel, frequency, level of detail, who?',
        help: 'Names, channels, platforms, reporting dates: each is a preference to record.',
      },
      { key: 'future_needs', text: 'What is coming up for you in the next year or two? Where could we help?', help: null },
    ],
  },
  {
    key: 'scores',
    title: 'Scores',
    questions: [
      { key: 'recommend', text: 'How likely are you to recommend the firm to a colleague or peer, from 0 to 10?', help: 'Record the number as the NPS score.' },
      { key: 'satisfaction', text: 'Overall, how satisfied are you with the firm, from 1 to 10?', help: null },
    ],
  },
];

const DEFAULT_DIMENSIONS = [
  ['responsiveness', 'Responsiveness'],
  ['understanding', 'Understanding of the business'],
  ['value', 'Value for money'],
  ['communication', 'Communication'],
  ['expertise', 'Expertise'],
] as const;

async function seed(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const guideId = '019a0000-0000-7000-8000-000000000001';
  await sql`insert into interview_guides (id, name, description, is_default, archived, created_at, updated_at)
    values (${guideId}, 'Client listening guide', 'The standard guide for a client listening session: relationship, value, working together, scores.', ${t.trueValue}, ${t.falseValue}, ${now}, ${now})`.execute(
    db,
  );
  await sql`insert into guide_versions (id, guide_id, version, sections, created_by, created_at)
    values ('019a0000-0000-7000-8000-000000000002', ${guideId}, 1, ${JSON.stringify(DEFAULT_GUIDE_SECTIONS)}, null, ${now})`.execute(db);
  for (const [position, [key, label]] of DEFAULT_DIMENSIONS.entries()) {
    await sql`insert into score_dimensions (key, label, position, active) values (${key}, ${label}, ${position}, ${t.trueValue})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'session_remarks',
    'session_scores',
    'session_answers',
    'session_attendees',
    'session_contacts',
    'listening_sessions',
    'score_dimensions',
    'guide_versions',
    'interview_guides',
    'nomination_events',
    'nominations',
    'programme_partners',
    'programmes',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
