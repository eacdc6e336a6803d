import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ContactInfo, checkMessage, type MessageInput, resolvePlatform } from './message-check.js';
import { ruleSource } from './testing.js';

const megge: ContactInfo = { id: 'c-megge', name: 'Megge Larsen', email: 'megge@ups.example' };
const dana: ContactInfo = { id: 'c-dana', name: 'Dana Cruz', preferredName: 'Dee', email: 'dana@example.com' };
const books: ContactInfo = { id: 'c-books', name: 'Pat Booker', email: 'books@contractor.example' };
const contacts = [megge, dana, books];

const naming = ruleSource({ kind: 'naming', preferredName: 'Megge', avoid: ['Meg'] }, { contactId: megge.id, statement: 'My name is Megge, not Meg.' });
const noCalls = ruleSource(
  { kind: 'channel', preferred: ['email'], unwanted: ['phone'] },
  { contactId: megge.id, statement: 'Phone calls are annoying; I work in an office without doors.' },
);
const microsoft = ruleSource({ kind: 'meeting_platform', preferred: ['Microsoft Teams'], avoid: ['Zoom'] }, { statement: 'We are Microsoft: Teams only.' });
const noStatusReport = ruleSource(
  { kind: 'unwanted_report', report: 'monthly loan status report', keywords: ['status report', 'loan pipeline'] },
  { statement: 'Do not send the monthly status report unless I ask.' },
);
const bookkeeper = ruleSource(
  { kind: 'restricted_recipient', contactId: books.id, keywords: ['estate planning', 'divorce', 'personal'] },
  { statement: 'My bookkeeper must not see my personal legal work.' },
);
const ups = ruleSource({ kind: 'avoid_brands', brands: [{ name: 'FedEx', aliases: ['Federal Express'] }] }, { statement: 'We are UPS.' });
const rules = [naming, noCalls, microsoft, noStatusReport, bookkeeper, ups];

const check = (input: Partial<MessageInput>) => checkMessage({ recipients: [], body: '', ...input }, { rules, contacts });

describe('checkMessage', () => {
  it('should flag the wrong name form in the salutation, not the right one', () => {
    const { findings } = check({ recipients: [{ contactId: megge.id }], salutation: 'Dear Meg,', body: 'Thanks, Meg.' });
    expect(findings.map((f) => [f.kind, f.field, f.text])).toEqual([
      ['name_form', 'salutation', 'Meg'],
      ['name_form', 'body', 'Meg'],
    ]);
    expect(findings[0]).toMatchObject({
      span: { start: 5, end: 8 },
      source: { preferenceId: naming.preferenceId, statement: 'My name is Megge, not Meg.' },
      suggestedFix: 'Use "Megge".',
    });
    expect(check({ recipients: [{ contactId: megge.id }], salutation: 'Dear Megge,', body: 'Hi MEGGE' }).findings).toEqual([]);
  });

  it('should resolve recipients by e-mail and catch a greeting in the body', () => {
    const { findings, recipientContactIds } = check({ recipients: [{ email: 'MEGGE@ups.example' }], body: 'Hi Meg, the filing is done.' });
    expect(recipientContactIds).toEqual([megge.id]);
    expect(findings).toMatchObject([{ kind: 'name_form', field: 'body', text: 'Meg' }]);
  });

  it('should use a contact’s recorded preferred name for the greeting even without a rule', () => {
    const { findings } = check({ recipients: [{ contactId: dana.id }], salutation: 'Dear Dana,' });
    expect(findings).toMatchObject([{ kind: 'name_form', field: 'salutation', text: 'Dana', source: null, suggestedFix: 'Use "Dee".' }]);
    expect(check({ recipients: [{ contactId: dana.id }], salutation: 'Dear Ms Cruz,' }).findings).toEqual([]);
  });

  it('should not apply a contact’s rules when the contact is not a recipient', () => {
    expect(check({ recipients: [{ contactId: dana.id }], salutation: 'Dear Dee, Meg says hi', channel: 'phone' }).findings).toEqual([]);
  });

  it('should flag an unwanted channel and a proposed call in the body', () => {
    const { findings } = check({ recipients: [{ contactId: megge.id }], channel: 'phone', body: 'Happy to give you a call tomorrow.' });
    expect(findings.map((f) => [f.kind, f.field, f.severity])).toEqual([
      ['unwanted_channel', 'channel', 'error'],
      ['unwanted_channel', 'body', 'warning'],
    ]);
    expect(findings[0]?.suggestedFix).toBe('Use email.');
  });

  it('should flag a platform the client avoids or does not use, in the field and in the body', () => {
    const zoom = check({ meetingPlatform: 'zoom', body: 'Join: https://us02web.zoom.us/j/81234567890' });
    expect(zoom.findings.map((f) => [f.kind, f.field, f.text ?? null])).toEqual([
      ['meeting_platform', 'meetingPlatform', null],
      ['meeting_platform', 'body', 'zoom.us'],
    ]);
    expect(zoom.findings[0]?.message).toBe('Zoom: the client avoids Zoom.');
    expect(check({ meetingPlatform: 'Google Meet' }).findings[0]?.message).toContain('uses Microsoft Teams, not Google Meet');
    expect(check({ meetingPlatform: 'MS Teams', body: 'Our teams will zoom in on the issues. Teams link to follow.' }).findings).toEqual([]);
  });

  it('should flag an unwanted report by its keywords', () => {
    const { findings } = check({ subject: 'Monthly Status Report — November', body: 'Attached.' });
    expect(findings).toMatchObject([
      { kind: 'unwanted_report', field: 'subject', text: 'Status Report', source: { preferenceId: noStatusReport.preferenceId } },
    ]);
  });

  it('should flag a restricted recipient receiving the work they must not see', () => {
    const input = { subject: 'Estate planning documents', body: 'Please find the draft will.' };
    expect(check({ ...input, recipients: [{ email: 'books@contractor.example' }] }).findings).toMatchObject([
      { kind: 'restricted_recipient', contactId: books.id, text: 'Estate planning' },
    ]);
    expect(check({ ...input, recipients: [{ contactId: megge.id }] }).findings).toEqual([]);
  });

  it('should flag avoided brands mentioned in the message', () => {
    const { findings } = check({ body: 'The originals went out by FedEx this morning.' });
    expect(findings).toMatchObject([{ kind: 'avoided_brand', field: 'body', text: 'FedEx', source: { statement: 'We are UPS.' } }]);
  });

  it('should resolve platform names', () => {
    expect(resolvePlatform('teams').name).toBe('Microsoft Teams');
    expect(resolvePlatform('meet.google.com').name).toBe('Google Meet');
    expect(resolvePlatform('Whereby').name).toBe('Whereby');
  });
});

describe('message check properties', () => {
  it('should never throw on arbitrary messages and keep spans inside their field', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom('Dear Meg,', 'Hi Megge', 'zoom.us/j/1', 'status report', 'FedEx', '-', ''));
    fc.assert(
      fc.property(
        fc.record({
          salutation: fc.option(text),
          subject: fc.option(text),
          body: text,
          channel: fc.option(
            fc.constantFrom('email', 'phone', 'video', 'in_person', 'text_message', 'letter', 'chat') as fc.Arbitrary<MessageInput['channel'] & string>,
          ),
          meetingPlatform: fc.option(text),
          recipients: fc.array(
            fc.record({ contactId: fc.option(fc.constantFrom(megge.id, dana.id, books.id, 'x')), email: fc.option(fc.string()), name: fc.option(text) }),
          ),
        }),
        (input) => {
          const { findings } = checkMessage(input, { rules, contacts });
          for (const f of findings) {
            const field = f.field === 'salutation' ? input.salutation : f.field === 'subject' ? input.subject : f.field === 'body' ? input.body : null;
            if (f.span) {
              expect(field?.slice(f.span.start, f.span.end)).toBe(f.text);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
