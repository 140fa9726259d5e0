// A small 5-field cron matcher (minute hour day-of-month month day-of-week) and scan-window
// arithmetic, both evaluated in an IANA timezone (pure; the clock is the caller's).
// Semantics as in Vixie cron: when both day fields are restricted, either may match.

interface FieldSpec {
  min: number;
  max: number;
}
const FIELDS: FieldSpec[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12 },
  { min: 0, max: 7 }, // 0 and 7 are Sunday
];

export interface CronExpr {
  sets: Set<number>[];
  domRestricted: boolean;
  dowRestricted: boolean;
}

function parseField(text: string, spec: FieldSpec): Set<number> | null {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const m = /^(\*|(\d{1,2})(?:-(\d{1,2}))?)(?:\/(\d{1,2}))?$/.exec(item);
    if (!m) return null;
    const lo = m[1] === '*' ? spec.min : Number(m[2]);
    const hi =
      m[1] === '*' ? spec.max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? spec.max : lo;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (lo < spec.min || hi > spec.max || lo > hi || step < 1) return null;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parses a 5-field cron expression; null when invalid. */
export function parseCron(expr: string): CronExpr | null {
  if (expr.length > 200) return null;
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) return null;
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const s = parseField(parts[i] ?? '', FIELDS[i] as FieldSpec);
    if (!s) return null;
    sets.push(s);
  }
  const dow = sets[4] as Set<number>;
  if (dow.has(7)) dow.add(0);
  return { sets, domRestricted: parts[2] !== '*', dowRestricted: parts[4] !== '*' };
}

export interface LocalTime {
  minute: number;
  hour: number;
  day: number;
  month: number;
  weekday: number; // 0 = Sunday
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

/** True when `tz` is an IANA timezone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function localTime(at: Date, tz: string): LocalTime {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      weekday: 'short',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    minute: Number(parts['minute']),
    hour: Number(parts['hour']),
    day: Number(parts['day']),
    month: Number(parts['month']),
    weekday: WEEKDAYS.indexOf(parts['weekday'] ?? ''),
  };
}

export function cronMatches(c: CronExpr, t: LocalTime): boolean {
  const [min, hour, dom, month, dow] = c.sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (!min.has(t.minute) || !hour.has(t.hour) || !month.has(t.month)) return false;
  const domOk = dom.has(t.day);
  const dowOk = dow.has(t.weekday);
  if (c.domRestricted && c.dowRestricted) return domOk || dowOk;
  return domOk && dowOk;
}

export interface ScanWindow {
  start: string; // HH:MM
  end: string; // HH:MM
  timezone: string;
}

export const HHMM_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether `at` lies inside the daily window, and if so the instant it ends. A window whose end
 * is before its start runs overnight; start == end means always open (no end). DST shifts inside
 * an open window move its end by the shift (documented limitation).
 */
export function windowState(at: Date, w: ScanWindow): { open: boolean; endsAt: Date | null } {
  const start = minutesOf(w.start);
  const end = minutesOf(w.end);
  if (start === end) return { open: true, endsAt: null };
  const t = localTime(at, w.timezone);
  const now = t.hour * 60 + t.minute;
  const open = start < end ? now >= start && now < end : now >= start || now < end;
  if (!open) return { open: false, endsAt: null };
  const minutesLeft = (end - now + 1440) % 1440;
  const minuteStart = Math.floor(at.getTime() / 60_000) * 60_000;
  return { open: true, endsAt: new Date(minuteStart + minutesLeft * 60_000) };
}
