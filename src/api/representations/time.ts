// Timestamps on the wire: ISO-8601 local time with milliseconds and a numeric offset,
// e.g. 2017-02-27T06:35:45.448-05:00 (spec §1.8). The zone is the server process's (TZ).

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function formatTime(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
