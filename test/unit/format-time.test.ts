// formatTime caches each minute's prefix and offset (issue 14): it must write exactly what a
// Date read field by field writes, in zones with DST, half-hour offsets and old local mean
// times whose offsets had seconds. Each zone runs in a child process (TZ is read at start).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

const CHECK = `
import { formatTime } from ${JSON.stringify(new URL('../../src/api/representations/time.ts', import.meta.url).href)};
const pad = (n, w = 2) => String(n).padStart(w, '0');
function reference(ms) {
  const d = new Date(ms); const off = -d.getTimezoneOffset(); const abs = Math.abs(off);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3) + (off >= 0 ? '+' : '-') + pad(Math.floor(abs / 60)) + ':' + pad(abs % 60);
}
let seed = 12345;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const xs = [0, -1, 59999, 60000, 1711846799999, 1711846800000, 1729990800000, -2522879987655, Date.UTC(2026, 2, 29, 1, 0, 0, 1)];
for (let i = 0; i < 20000; i++) xs.push(Math.floor((rand() * 2 - 0.5) * 4e12));
for (let i = 0; i < 2000; i++) xs.push(Date.UTC(2026, 9, 25, 0, 59, 0) + i * 71);
const bad = xs.filter((x) => formatTime(x) !== reference(x));
if (bad.length) { console.log(JSON.stringify(bad.slice(0, 3).map((x) => [x, formatTime(x), reference(x)]))); process.exit(1); }
`;

for (const tz of ['UTC', 'Europe/Berlin', 'America/St_Johns', 'Asia/Kolkata', 'Africa/Monrovia', 'Australia/Lord_Howe']) {
  test(`formatTime matches the field-by-field Date in ${tz}`, () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', CHECK], { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
    assert.equal(out, '');
  });
}
