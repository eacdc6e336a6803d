import type { Db } from '../db/connect.js';
import type { CheckInChannel, Role } from '../db/schema.js';
import { actionFromCheckIn, createCheckIn, putCadence } from '../relationships/check-ins.js';
import type { ServiceContext } from '../server/context.js';

/**
 * The demo firm's check-ins: recent conversations on some clients (so they are on track), old
 * ones on others (due or overdue), none at all on a few (never), a tighter cadence for the
 * biggest client and its general counsel, and a follow-up action born from one answer. Dates
 * are relative to today so the losing-touch list always has something in every state.
 */

interface DemoCheckIn {
  client: string;
  by: string;
  /** Days ago. */
  daysAgo: number;
  channel: CheckInChannel;
  contact?: string;
  likes?: string;
  oneThingBetter?: string;
  notes?: string;
  /** Opens a follow-up action from this check-in, owned by this user. */
  action?: { title: string; owner: string; dueInDays: number };
}

const CHECK_INS: DemoCheckIn[] = [
  {
    client: 'northbridge',
    by: 'richard.beaumont',
    daysAgo: 6,
    channel: 'meeting',
    contact: 'Margaret Hollis',
    likes: 'The deal team picks up the phone, even at weekends.',
    oneThingBetter: 'A single weekly status note instead of emails from five people.',
    action: { title: 'Agree a weekly status note format with Megge', owner: 'aisha.siddiqui', dueInDays: 10 },
  },
  { client: 'northbridge', by: 'aisha.siddiqui', daysAgo: 40, channel: 'call', contact: 'Andrew Pike', likes: 'Fixed fees on the refinancing.' },
  {
    client: 'brightwater',
    by: 'daniel.okafor',
    daysAgo: 52,
    channel: 'video',
    contact: 'Robert Kincaid',
    likes: 'Our trial team’s preparation.',
    oneThingBetter: 'Earlier warning when the budget is going to move.',
  },
  {
    client: 'meridian',
    by: 'elizabeth.chen',
    daysAgo: 12,
    channel: 'event',
    contact: 'Katherine Doyle',
    notes: 'Caught up at the GC dinner; keen on a training session.',
  },
  {
    client: 'caledonian',
    by: 'catherine.ashworth',
    daysAgo: 75,
    channel: 'call',
    contact: 'Isobel Fraser',
    oneThingBetter: 'Fewer handovers between associates.',
  },
  { client: 'kestrel', by: 'richard.beaumont', daysAgo: 200, channel: 'email', contact: 'Susannah Whitlock' },
  {
    client: 'harrow-finch',
    by: 'fiona.macleod',
    daysAgo: 20,
    channel: 'meeting',
    contact: 'Theodore Banks',
    likes: 'Practical advice their managers can use.',
  },
  { client: 'sterling', by: 'thomas.whitaker', daysAgo: 130, channel: 'call', contact: "Margaret O'Connell" },
];

export interface CheckInsDemoResult {
  checkIns: number;
  actions: number;
}

export async function loadCheckInsDemo(
  db: Db,
  users: Map<string, { id: string; role: Role; name: string; email: string }>,
  clientIds: Map<string, string>,
): Promise<CheckInsDemoResult> {
  const as = (key: string): ServiceContext => {
    const user = users.get(key);
    if (!user) {
      throw new Error(`demo user ${key} is missing`);
    }
    return { db, actor: { id: user.id, role: user.role, name: user.name, email: user.email } };
  };
  const client = (key: string) => {
    const id = clientIds.get(key);
    if (!id) {
      throw new Error(`demo client ${key} is missing`);
    }
    return id;
  };
  const contactId = async (clientId: string, name: string | undefined) => {
    if (!name) {
      return null;
    }
    const row = await db.selectFrom('contacts').select('id').where('client_id', '=', clientId).where('name', '=', name).executeTakeFirst();
    return row?.id ?? null;
  };
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  // The biggest client, and its general counsel in particular, get a tighter rhythm.
  const northbridge = client('northbridge');
  const megge = await contactId(northbridge, 'Margaret Hollis');
  await putCadence(as('richard.beaumont'), northbridge, {
    idealDays: 21,
    maxDays: 45,
    contacts: megge ? [{ contactId: megge, idealDays: 14, maxDays: 30 }] : [],
  });

  let checkIns = 0;
  let actions = 0;
  for (const c of CHECK_INS) {
    const clientId = client(c.client);
    const logged = await createCheckIn(as(c.by), {
      clientId,
      contactId: await contactId(clientId, c.contact),
      heldOn: day(-c.daysAgo),
      channel: c.channel,
      likes: c.likes ?? null,
      oneThingBetter: c.oneThingBetter ?? null,
      notes: c.notes ?? null,
    });
    checkIns += 1;
    if (c.action) {
      const owner = users.get(c.action.owner);
      if (owner) {
        await actionFromCheckIn(as(c.by), logged.id, { title: c.action.title, ownerId: owner.id, dueOn: day(c.action.dueInDays), priority: 'normal' });
        actions += 1;
      }
    }
  }
  return { checkIns, actions };
}
