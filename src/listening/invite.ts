import { createEvent, type EventAttributes } from 'ics';
import type { SessionFormat } from '../db/schema.js';

/** What a calendar invite for a listening session says. Plan fields only: never what was said in it. */
export interface InviteInput {
  /** Stable across every update and the cancellation, so calendars replace rather than add. */
  uid: string;
  /** RFC 5545 SEQUENCE: higher on each change of time, place or attendees. */
  sequence: number;
  cancelled: boolean;
  title: string;
  /** ISO-8601 UTC. */
  startsAt: string;
  durationMinutes: number;
  organizer: { name: string; email: string };
  attendees: { name: string; email: string }[];
  location: string | null;
  format: SessionFormat;
  videoPlatform: string | null;
  videoLink: string | null;
  objective: string;
  expectations: string | null;
  agenda: string | null;
  /** ISO-8601 UTC: the invite's LAST-MODIFIED, and a DTSTAMP that moves with each version. */
  updatedAt: string;
}

const FORMAT_LABELS: Record<SessionFormat, string> = { in_person: 'In person', video: 'Video call', phone: 'Phone call' };

function description(input: InviteInput): string {
  const parts = [`Objective: ${input.objective}`];
  if (input.expectations) {
    parts.push(`What this session can and cannot achieve: ${input.expectations}`);
  }
  if (input.agenda) {
    parts.push(`Agenda:\n${input.agenda}`);
  }
  const how = [FORMAT_LABELS[input.format]];
  if (input.format === 'video') {
    how.push([input.videoPlatform, input.videoLink].filter(Boolean).join(': '));
  }
  parts.push(`Format: ${how.filter(Boolean).join(', ')}`);
  return parts.join('\n\n');
}

/**
 * The session's invite as an RFC 5545 calendar (`METHOD:REQUEST`, or `METHOD:CANCEL` with
 * `STATUS:CANCELLED` once cancelled), with times in UTC. Pure: the caller loads the data.
 */
export function buildInvite(input: InviteInput): string {
  const start = new Date(input.startsAt).getTime();
  const event: EventAttributes = {
    uid: input.uid,
    sequence: input.sequence,
    method: input.cancelled ? 'CANCEL' : 'REQUEST',
    status: input.cancelled ? 'CANCELLED' : 'CONFIRMED',
    productId: '-//Hearken//Client listening//EN',
    title: input.title,
    description: description(input),
    start,
    startInputType: 'utc',
    startOutputType: 'utc',
    end: start + input.durationMinutes * 60_000,
    endInputType: 'utc',
    endOutputType: 'utc',
    organizer: { name: input.organizer.name, email: input.organizer.email },
    attendees: input.attendees.map((a) => ({
      name: a.name,
      email: a.email,
      rsvp: true,
      role: 'REQ-PARTICIPANT',
      partstat: 'NEEDS-ACTION',
    })),
    lastModified: new Date(input.updatedAt).getTime(),
    busyStatus: 'BUSY',
    ...(input.location ? { location: input.location } : {}),
  };
  const { error, value } = createEvent(event);
  if (error || !value) {
    throw error ?? new Error('the calendar invite could not be built');
  }
  return value;
}
