// Three serverchat processes on one PostgreSQL database, driven as through a round-robin
// load balancer (docs/architecture.md): two accept races, then ≥ 100 chats served by four
// agents logged in through different instances, chats left alone to time out, and one
// instance killed with -9 mid-run while chats only it had served wait for their deadline.
// Chat states are observed straight from PostgreSQL where a visitor read would keep the
// chat alive. Every loop has a count and a time limit; `after` kills what is left.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { Cluster, loginAgent, setAvailability, LOST, type AgentLogin } from '../helpers/cluster.ts';
import { json, sleep, startInstance, type Instance } from '../helpers/instances.ts';
import { startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { asArray, lastSegment, type Event, type EventsDoc } from '../helpers/wire.ts';
import { Workload, type ChatRecord } from '../helpers/chat-workload.ts';

const ACCOUNT = '12345678';
const APP_KEY = '721c180b09eb463d9f3191c41762bb68';
const BASE = `/api/account/${ACCOUNT}`;
const VISITOR = { authorization: `LivePerson appKey=${APP_KEY}` };
const SKILLS = { sales: 1001, race: 1002, billing: 1003 };
const MAX_CHATS = 5;
const SALES = [1, 2, 3, 4].map((n) => ({ id: 2000 + n, name: `Agent${n}`, loginName: `agent${n}`, password: `pw-${n}`, skills: [SKILLS.sales], maxChats: MAX_CHATS }));
const RACERS = ['racer', 'rival'].map((n, i) => ({ id: 3001 + i, name: n, loginName: n, password: `pw-${n}`, skills: [SKILLS.race], maxChats: 2 }));
// Billing has no agent: its chats are never rung, so nobody but the instance asked writes them.
const PROVISIONING = {
  accounts: [
    {
      id: ACCOUNT,
      appKeys: [APP_KEY],
      chatTimeout: 40,
      skills: [
        { id: SKILLS.sales, name: 'Sales' },
        { id: SKILLS.race, name: 'Race' },
        { id: SKILLS.billing, name: 'Billing' },
      ],
      agents: [...SALES, ...RACERS],
    },
  ],
};
const RING_TIMEOUT = 3;
const RACE_ROUNDS = 8;
const ORPHANS = 8;
const ORPHAN_TIMEOUT = 5;
/** An orphaned chat's timeout fires at most this long after its deadline (≈ 2 s adoption + 1 s sweep + 1 s grace). */
const ADOPTION_BOUND_MS = 5_000;
const TEST_BUDGET_MS = 100_000;

let pgServer: TestPostgres | null = null;
const instances: Instance[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'serverchat-multi-'));
after(async () => {
  await Promise.all(instances.map((i) => i.kill('SIGKILL')));
  await pgServer?.destroy();
  rmSync(tmp, { recursive: true, force: true });
});

async function sqlStates(url: string, ids: string[]): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; state: string }>('SELECT id, state FROM chats WHERE account_id = $1 AND id = ANY($2)', [ACCOUNT, ids]);
    return new Map(rows.map((r) => [r.id, r.state]));
  } finally {
    await client.end();
  }
}

/** Polls PostgreSQL until every chat of `ids` is ended or `limitMs` passed; returns when each was first seen ended. */
async function watchEnds(url: string, ids: string[], limitMs: number): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const stopAt = Date.now() + limitMs;
  while (seen.size < ids.length && Date.now() < stopAt) {
    const states = await sqlStates(url, ids.filter((id) => !seen.has(id)));
    const now = Date.now();
    for (const [id, state] of states) if (state === 'ended') seen.set(id, now);
    await sleep(100);
  }
  return seen;
}

/** Two agents, each with two sessions on two instances, race to accept one ringing chat, round after round. */
async function acceptRaces(cluster: Cluster, records: ChatRecord[]): Promise<void> {
  const [i0, i1, i2] = cluster.instances as [Instance, Instance, Instance];
  const [racer, rival] = [await loginAgent(cluster, BASE, RACERS[0]!, i0, [i0, i1]), await loginAgent(cluster, BASE, RACERS[1]!, i1, [i1, i2])];
  const sessions: Array<[AgentLogin, string, Instance]> = [
    [racer, racer.sessions[0]!, i0],
    [racer, racer.sessions[1]!, i1],
    [rival, rival.sessions[0]!, i1],
    [rival, rival.sessions[1]!, i2],
  ];
  for (let round = 0; round < RACE_ROUNDS; round++) {
    const [target, idle] = round % 2 === 0 ? [racer, rival] : [rival, racer];
    assert.equal((await setAvailability(cluster, idle, 'Away', cluster.next())).status, 200);
    assert.equal((await setAvailability(cluster, target, 'Online', cluster.next())).status, 200);
    const req = await cluster.call(cluster.instances[round % 3]!, 'POST', `${BASE}/chat/request.json`, { headers: VISITOR, body: { request: { skill: 'Race', interactionTimeout: 60 } } });
    assert.equal(req.status, 201, req.text);
    const key = lastSegment(req.location ?? '');
    records.push({ kind: 'race', key, path: `${BASE}/chat/${key}`, acked: new Map(), maybe: new Set(), agentName: target.name });
    for (let n = 0; ; n++) {
      const ir = await cluster.get(`${target.sessions[0]}/incomingRequests.json`, { headers: target.auth });
      if (json<{ incomingRequests: { ringingCount: string } }>(ir.reply).incomingRequests.ringingCount === '1') break;
      assert.ok(n < 50, `round ${round}: the chat never rang for ${target.name}`);
      await sleep(100);
    }
    const replies = await Promise.all(sessions.map(([a, s, via]) => cluster.call(via, 'POST', `${s}/incomingRequests.json`, { headers: a.auth, body: {} })));
    const report = replies.map((r, n) => `${sessions[n]![0].name}@${sessions[n]![2].name}: ${r.status} ${r.text}`).join('\n');
    const won = replies.flatMap((r, n) => (r.status === 201 ? [n] : []));
    assert.equal(won.length, 1, `round ${round}: exactly one accept wins\n${report}`);
    const winner = sessions[won[0]!]!;
    assert.equal(winner[0], target, `round ${round}: the agent it rang for wins\n${report}`);
    assert.equal(lastSegment(replies[won[0]!]!.location ?? ''), key);
    for (const [n, r] of replies.entries()) {
      if (n === won[0]) continue;
      assert.equal(r.status, 409, report);
      assert.equal(json<{ error: { internalCode: number } }>(r).error.internalCode, 409, `the loser gets nothing-ringing\n${report}`);
    }
    const end = await cluster.call(cluster.next(), 'POST', `${winner[1]}/chat/${key}/events.json`, { headers: winner[0].auth, body: { event: { '@type': 'state', state: 'ended' } } });
    assert.equal(end.status, 201, end.text);
  }
  await setAvailability(cluster, racer, 'Away', cluster.next());
  await setAvailability(cluster, rival, 'Away', cluster.next());
}

/** Chats requested and kept alive only through `via`, in a skill nobody serves; `via` is then killed. */
async function orphanChats(cluster: Cluster, via: Instance, records: ChatRecord[]): Promise<ChatRecord[]> {
  const made: ChatRecord[] = [];
  for (let n = 0; n < ORPHANS; n++) {
    const req = await cluster.call(via, 'POST', `${BASE}/chat/request.json`, { headers: VISITOR, body: { request: { skill: 'Billing', interactionTimeout: ORPHAN_TIMEOUT } } });
    assert.equal(req.status, 201, req.text);
    const key = lastSegment(req.location ?? '');
    const rec: ChatRecord = { kind: 'orphan', key, path: `${BASE}/chat/${key}`, acked: new Map(), maybe: new Set() };
    const info = await cluster.call(via, 'GET', `${rec.path}/info.json`, { headers: VISITOR });
    assert.equal(info.status, 200);
    rec.touchedAt = Date.now();
    made.push(rec);
    records.push(rec);
  }
  // Let the keep-alives reach the store (flushed every 0.5 s); a lost one would only move the deadline back.
  await sleep(800);
  return made;
}

/** Every event of a chat as the visitor reads it through `via` (ended chats only: a read keeps an open chat alive). */
async function eventsVia(cluster: Cluster, via: Instance, rec: ChatRecord): Promise<Event[]> {
  const r = await cluster.call(via, 'GET', `${rec.path}/events.json`, { headers: VISITOR });
  assert.equal(r.status, 200, r.text);
  return asArray(json<EventsDoc>(r).events.event);
}

const isSystem = (e: Event, id: number): boolean => e['@type'] === 'line' && e.source === 'system' && Number(e.systemMessageId) === id;

function checkChat(rec: ChatRecord, events: Event[]): void {
  const where = `${rec.kind} chat ${rec.key}: ${JSON.stringify(events.map((e) => [e['@id'], e.state ?? e.systemMessageId ?? e.text]))}`;
  assert.deepEqual(events.map((e) => e['@id']), events.map((_, n) => String(n)), `ids are 0..n-1: ${where}`);
  assert.equal(events.filter((e) => e['@type'] === 'state' && e.state === 'ended').length, 1, `one ended: ${where}`);
  assert.equal(events.at(-1)?.state, 'ended', `ended comes last: ${where}`);
  const timeouts = events.filter((e) => isSystem(e, 6)).length;
  assert.equal(timeouts, rec.kind === 'alone' || rec.kind === 'orphan' ? 1 : 0, `system line 6: ${where}`);
  const lines = events.filter((e) => e['@type'] === 'line' && (e.source === 'visitor' || e.source === 'agent'));
  for (const [id, text] of rec.acked) {
    assert.equal(lines.filter((e) => e.text === text).length, 1, `"${text}" once: ${where}`);
    assert.equal(events[id]?.text, text, `"${text}" at its acknowledged id ${id}: ${where}`);
  }
  for (const text of rec.maybe) assert.ok(lines.filter((e) => e.text === text).length <= 1, `"${text}" (answer lost) at most once: ${where}`);
  const known = new Set([...rec.acked.values(), ...rec.maybe]);
  assert.deepEqual(lines.filter((e) => !known.has(e.text ?? '')), [], `no line nobody sent: ${where}`);
  for (const e of lines.filter((l) => l.source === 'agent')) assert.equal(e.by, rec.agentName, where);
}

test('three instances on one PostgreSQL: ≥ 100 chats, accept races, timeouts, and kill -9 mid-run', { timeout: TEST_BUDGET_MS + 20_000 }, async () => {
  const t0 = Date.now();
  const runUntil = t0 + TEST_BUDGET_MS;
  pgServer = await startPostgres();
  const url = await pgServer.createDatabase('multi');
  const file = join(tmp, 'provision.json');
  writeFileSync(file, JSON.stringify(PROVISIONING));
  const args = ['--store', url, '--port', '0', '--host', '127.0.0.1', '--ring-timeout', String(RING_TIMEOUT), '--agent-session-timeout', '120', '--log-level', 'warn', '--provision', file];
  const started = await Promise.allSettled(['i0', 'i1', 'i2'].map((name) => startInstance(name, args)));
  for (const s of started) if (s.status === 'fulfilled') instances.push(s.value);
  for (const s of started) if (s.status === 'rejected') throw s.reason;
  const cluster = new Cluster(instances);
  const tStarted = Date.now();

  const records: ChatRecord[] = [];
  await acceptRaces(cluster, records);
  const tRaces = Date.now();

  const agents: AgentLogin[] = [];
  for (const [n, a] of SALES.entries()) agents.push(await loginAgent(cluster, BASE, a, instances[n % 3]!));
  const work = new Workload({ cluster, base: BASE, visitor: VISITOR, agents, records, runUntil });
  for (const a of agents) assert.equal((await setAvailability(cluster, a, 'Online', cluster.next())).status, 200);

  const victim = instances[2]!;
  let orphans: ChatRecord[] = [];
  let killedAt = 0;
  let servedAtKill = 0;
  const killer = async (): Promise<void> => {
    while (work.servedDone < 25 && !work.done && Date.now() < runUntil) await sleep(50);
    if (work.done) return;
    orphans = await orphanChats(cluster, victim, records);
    killedAt = Date.now();
    servedAtKill = work.servedDone;
    await cluster.kill(victim);
  };
  const [ran, killed] = await Promise.allSettled([work.run({ served: 100, concurrency: 24, leftAlone: 12, aloneTimeout: 3, servedTimeout: 20 }), killer()]);
  if (ran.status === 'rejected') throw ran.reason;
  if (killed.status === 'rejected') throw killed.reason;
  const counts = ran.value;
  const tServed = Date.now();
  assert.ok(killedAt > 0 && servedAtKill <= 80, `the kill came mid-run (${servedAtKill} chats served by then)`);

  // Orphans: ended by a surviving instance within the adoption bound of their deadline.
  const deadlineBy = Math.max(...orphans.map((o) => (o.touchedAt ?? 0) + ORPHAN_TIMEOUT * 1000));
  const ends = await watchEnds(url, orphans.map((o) => o.key), Math.max(0, deadlineBy - Date.now()) + ADOPTION_BOUND_MS + 3_000);
  const latencies: number[] = [];
  for (const o of orphans) {
    const seen = ends.get(o.key);
    assert.ok(seen !== undefined, `orphan ${o.key} never ended (killed at +${killedAt - t0} ms)`);
    const events = await eventsVia(cluster, cluster.next(), o);
    const deadline = Date.parse(events.at(-1)?.time ?? '');
    assert.ok(Math.abs(deadline - ((o.touchedAt ?? 0) + ORPHAN_TIMEOUT * 1000)) < 1_500, `orphan ${o.key}: stamped at its deadline`);
    assert.ok(deadline > killedAt, `orphan ${o.key}: its deadline came after the kill`);
    latencies.push(seen - deadline);
    assert.ok(seen - deadline <= ADOPTION_BOUND_MS, `orphan ${o.key}: ended ${seen - deadline} ms after its deadline`);
  }

  // Everything else ends too (left-alone chats by their timeout); then every chat is checked on both survivors.
  const open = records.filter((r) => !ends.has(r.key)).map((r) => r.key);
  const rest = await watchEnds(url, open, 10_000);
  assert.deepEqual(open.filter((k) => !rest.has(k)), [], 'every chat ended');
  for (const rec of records) {
    const [a, b] = cluster.live() as [Instance, Instance];
    const events = await eventsVia(cluster, a, rec);
    assert.deepEqual(await eventsVia(cluster, b, rec), events, `${rec.key}: both survivors read the same events`);
    checkChat(rec, events);
  }
  for (const [key, by] of work.accepts) {
    assert.equal(by.length, 1, `chat ${key} accepted once, by ${by.join(', ')}`);
    const rec = records.find((r) => r.key === key);
    if (rec?.agentName !== undefined) assert.equal(by[0], rec.agentName, `chat ${key}: the agent that accepted it holds it`);
  }
  await work.checkCapacity(cluster.next());
  assert.deepEqual(work.violations, [], 'invariants held while running');
  assert.ok(Math.max(...work.peaks.values()) === MAX_CHATS, `the maxChats limit was reached (peaks ${JSON.stringify([...work.peaks])})`);
  assert.ok(records.length >= 100);

  const ms = (a: number, b: number): string => `${((b - a) / 1000).toFixed(1)} s`;
  console.log(
    `multi-instance: ${records.length} chats (${counts.served} served, ${counts.alone} left alone, ${orphans.length} orphaned, ${RACE_ROUNDS} races);` +
      ` start ${ms(t0, tStarted)}, races ${ms(tStarted, tRaces)}, served ${ms(tRaces, tServed)}, total ${ms(t0, Date.now())};` +
      ` orphan end after deadline ${Math.min(...latencies)}–${Math.max(...latencies)} ms; killed after ${servedAtKill} served chats; answers lost with it ${cluster.lost}; orphan chats of lost requests ${work.lostRequests};` +
      ` ring timeouts ${work.ringTimeouts}; ring probes hit ${work.ringProbes}; peaks ${JSON.stringify([...work.peaks])}`,
  );
  assert.equal(victim.output().includes('"level":50'), false, `the killed instance logged no error before dying:\n${victim.output()}`);
  for (const i of cluster.live()) assert.equal(i.output().match(/"level":(50|60)/), null, `${i.name} logged no error:\n${i.output()}`);
});
