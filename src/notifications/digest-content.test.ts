import { describe, expect, it } from 'vitest';
import { buildDigestEmail, type DigestData, digestIsEmpty, escapeHtml } from './digest-content.js';
import { digestDue, isoWeekKey, nextAttemptAt, periodKey } from './digest-period.js';

const base: DigestData = {
  baseUrl: 'https://hearken.firm.example',
  recipientName: 'Ann <Able>',
  frequency: 'weekly',
  periodKey: '2026-W48',
  actions: [],
  checkIns: [],
  nominations: [],
  unreadNotifications: 0,
};

describe('digest content', () => {
  it('should have nothing to say with no items, even with unread notifications', () => {
    expect(digestIsEmpty({ ...base, unreadNotifications: 3 })).toBe(true);
    expect(digestIsEmpty({ ...base, nominations: [{ clientName: 'Acme', programmeName: 'FY26' }] })).toBe(false);
    expect(digestIsEmpty({ ...base, reportsDue: [{ clientName: 'Acme', title: 'Quarterly', dueOn: '2026-12-01', link: '/clients/1' }] })).toBe(false);
  });

  it('should build one email with every section, absolute links, a plain-text part and an escaped html part', () => {
    const email = buildDigestEmail({
      ...base,
      actions: [
        { id: 'a1', title: 'Fix <script>alert(1)</script> & bill', clientName: 'Acme "Co"', dueOn: '2026-11-20', overdue: true },
        { id: 'a2', title: 'Send pack', clientName: 'Beta', dueOn: '2026-11-25', overdue: false },
      ],
      checkIns: [
        { clientId: 'c1', clientName: 'Gamma', contactName: null, daysSince: null, maxDays: 90 },
        { clientId: 'c2', clientName: 'Delta', contactName: 'Olive', daysSince: 120, maxDays: 90 },
      ],
      nominations: [{ clientName: 'Epsilon', programmeName: 'FY26 listening' }],
      unreadNotifications: 2,
    });
    expect(email.subject).toBe('Hearken weekly digest (2026-W48): 2 actions, 2 overdue check-ins, 1 nomination');
    expect(email.text).toContain(
      'Overdue actions (1)\n- Fix <script>alert(1)</script> & bill (Acme "Co"; was due 2026-11-20)\n  https://hearken.firm.example/actions?action=a1',
    );
    expect(email.text).toContain('Actions coming due this week (1)');
    expect(email.text).toContain('- Gamma: no interaction recorded yet (at most 90 days)\n  https://hearken.firm.example/clients/c1');
    expect(email.text).toContain('- Olive at Delta: last contact 120 days ago (at most 90 days)');
    expect(email.text).toContain('Nominations awaiting your answer (1)\n- Epsilon (FY26 listening)\n  https://hearken.firm.example/nominations');
    expect(email.text).toContain('You have 2 unread notifications: https://hearken.firm.example/notifications');
    expect(email.text).toContain('https://hearken.firm.example/account');
    expect(email.text).not.toContain('Reports coming due');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('Fix &lt;script&gt;alert(1)&lt;/script&gt; &amp; bill (Acme &quot;Co&quot;; was due 2026-11-20)');
    expect(email.html).toContain('<a href="https://hearken.firm.example/actions?action=a1">');
    expect(email.html).toContain('Hello Ann &lt;Able&gt;,');
  });

  it('should show reports coming due when the reporting schedules fill them in', () => {
    const email = buildDigestEmail({
      ...base,
      frequency: 'daily',
      periodKey: '2026-11-23',
      reportsDue: [{ clientName: 'Acme', title: 'You said, we did', dueOn: '2026-11-30', link: '/clients/c1/you-said-we-did' }],
    });
    expect(email.subject).toBe('Hearken daily digest for 2026-11-23: 1 report');
    expect(email.text).toContain(
      'Reports coming due (1)\n- You said, we did for Acme (due 2026-11-30)\n  https://hearken.firm.example/clients/c1/you-said-we-did',
    );
  });

  it('should escape every html-special character', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('digest periods', () => {
  it('should key days and ISO weeks (the week of its Thursday)', () => {
    expect(periodKey('daily', new Date('2026-11-23T07:00:00Z'))).toBe('2026-11-23');
    expect(periodKey('weekly', new Date('2026-11-23T07:00:00Z'))).toBe('2026-W48');
    expect(isoWeekKey(new Date('2021-01-03T12:00:00Z'))).toBe('2020-W53');
    expect(isoWeekKey(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
  });

  it('should be due once the hour (and for weekly digests the weekday) has come within the period', () => {
    const schedule = { hourUtc: 7, weeklyDay: 1 };
    expect(digestDue('daily', new Date('2026-11-24T06:59:00Z'), schedule)).toBe(false);
    expect(digestDue('daily', new Date('2026-11-24T07:00:00Z'), schedule)).toBe(true);
    // 2026-11-23 is a Monday.
    expect(digestDue('weekly', new Date('2026-11-23T06:00:00Z'), schedule)).toBe(false);
    expect(digestDue('weekly', new Date('2026-11-23T07:30:00Z'), schedule)).toBe(true);
    expect(digestDue('weekly', new Date('2026-11-24T01:00:00Z'), schedule)).toBe(true);
    expect(digestDue('weekly', new Date('2026-11-24T01:00:00Z'), { hourUtc: 7, weeklyDay: 3 })).toBe(false);
  });

  it('should back off 5 minutes, 30 minutes, 2 hours, then 6 hours', () => {
    const now = new Date('2026-11-23T07:00:00Z');
    expect(nextAttemptAt(1, now)).toBe('2026-11-23T07:05:00.000Z');
    expect(nextAttemptAt(2, now)).toBe('2026-11-23T07:30:00.000Z');
    expect(nextAttemptAt(3, now)).toBe('2026-11-23T09:00:00.000Z');
    expect(nextAttemptAt(9, now)).toBe('2026-11-23T13:00:00.000Z');
  });
});
