// Timestamps on the wire: ISO-8601 local time with milliseconds and a numeric offset,
// e.g. 2017-02-27T06:35:45.448-05:00 (spec §1.8). The zone is the server process's (TZ).

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * The text up to the minute and the offset, of the last minutes written. Every poll writes
 * its chat's lastUpdate (now) and startTime: building both from a Date each time was ~1.5%
 * of a keep-alive poll (issue 14). Zone offsets change only on whole minutes, so a minute's
 * prefix and offset hold for all of its milliseconds.
 */
const SLOTS = 8;
const minuteOf = new Float64Array(SLOTS).fill(NaN);
const prefixOf: string[] = new Array<string>(SLOTS).fill('');
const offsetOf: string[] = new Array<string>(SLOTS).fill('');
/** The zone the slots were written in: Node lets a process change TZ while it runs. */
let slotsZone: string | undefined;

/** Exact for every instant: the path the cache is checked against and falls back to. */
function formatSlow(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

export function formatTime(ms: number): string {
  if (!Number.isSafeInteger(ms)) return formatSlow(ms);
  const zone = process.env.TZ;
  if (zone !== slotsZone) {
    minuteOf.fill(NaN);
    slotsZone = zone;
  }
  const minute = Math.floor(ms / 60_000);
  const slot = ((minute % SLOTS) + SLOTS) % SLOTS;
  if (minuteOf[slot] !== minute) {
    const d = new Date(minute * 60_000);
    // Old local mean times had offsets with seconds: a UTC minute is then no local minute.
    if (d.getSeconds() !== 0 || d.getMilliseconds() !== 0) return formatSlow(ms);
    const off = -d.getTimezoneOffset();
    const abs = Math.abs(off);
    minuteOf[slot] = minute;
    prefixOf[slot] = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:`;
    offsetOf[slot] = `${off >= 0 ? '+' : '-'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }
  const inMinute = ms - minute * 60_000;
  const seconds = Math.floor(inMinute / 1000);
  const millis = inMinute - seconds * 1000;
  return `${prefixOf[slot] as string}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}${offsetOf[slot] as string}`;
}
