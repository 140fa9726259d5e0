import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cronMatches, isTimeZone, localTime, parseCron, windowState } from './cron.js';

const utc = (iso: string) => new Date(`${iso}Z`);

describe('cron', () => {
  it('refuses malformed expressions', () => {
    for (const bad of [
      '* * * *',
      '60 * * * *',
      '* 24 * * *',
      '* * 0 * *',
      '5-1 * * * *',
      '*/0 * * * *',
      'a * * * *',
    ]) {
      assert.equal(parseCron(bad), null, bad);
    }
  });

  it('matches minutes, steps, lists and ranges', () => {
    const c = parseCron('*/15 2-3 * * 1,5')!;
    // 2026-11-23 is a Monday.
    assert.equal(cronMatches(c, localTime(utc('2026-11-23T02:30:00'), 'UTC')), true);
    assert.equal(cronMatches(c, localTime(utc('2026-11-23T02:31:00'), 'UTC')), false);
    assert.equal(cronMatches(c, localTime(utc('2026-11-24T02:30:00'), 'UTC')), false, 'Tuesday');
    assert.equal(cronMatches(c, localTime(utc('2026-11-27T03:45:00'), 'UTC')), true, 'Friday');
  });

  it('treats day-of-month and day-of-week as OR when both are restricted; 7 is Sunday', () => {
    const c = parseCron('0 0 1 * 7')!;
    assert.equal(cronMatches(c, localTime(utc('2026-12-01T00:00:00'), 'UTC')), true, '1st (Tuesday)');
    assert.equal(cronMatches(c, localTime(utc('2026-11-29T00:00:00'), 'UTC')), true, 'a Sunday');
    assert.equal(cronMatches(c, localTime(utc('2026-11-30T00:00:00'), 'UTC')), false);
  });

  it('evaluates in the given timezone', () => {
    const c = parseCron('0 9 * * *')!;
    assert.equal(cronMatches(c, localTime(utc('2026-11-25T08:00:00'), 'Europe/Berlin')), true);
    assert.equal(cronMatches(c, localTime(utc('2026-11-25T09:00:00'), 'Europe/Berlin')), false);
    assert.equal(isTimeZone('Europe/Berlin'), true);
    assert.equal(isTimeZone('Mars/Olympus'), false);
  });
});

describe('scan window', () => {
  const w = { start: '22:00', end: '06:00', timezone: 'UTC' };
  it('is closed outside an overnight window and open inside it with its end', () => {
    assert.deepEqual(windowState(utc('2026-11-25T12:00:00'), w), { open: false, endsAt: null });
    assert.deepEqual(windowState(utc('2026-11-25T23:30:20'), w), {
      open: true,
      endsAt: utc('2026-11-26T06:00:00'),
    });
    assert.deepEqual(windowState(utc('2026-11-26T05:59:00'), w).endsAt, utc('2026-11-26T06:00:00'));
    assert.equal(windowState(utc('2026-11-26T06:00:00'), w).open, false);
  });
  it('works for a same-day window in another timezone', () => {
    const day = { start: '09:00', end: '17:00', timezone: 'America/New_York' };
    assert.equal(windowState(utc('2026-11-25T13:00:00'), day).open, false, '08:00 local');
    assert.deepEqual(windowState(utc('2026-11-25T14:00:00'), day), {
      open: true,
      endsAt: utc('2026-11-25T22:00:00'),
    });
  });
  it('start == end is always open without an end', () => {
    assert.deepEqual(
      windowState(utc('2026-11-25T03:00:00'), { start: '00:00', end: '00:00', timezone: 'UTC' }),
      {
        open: true,
        endsAt: null,
      },
    );
  });
});
