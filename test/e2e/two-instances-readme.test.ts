// Tried as a new user would: two `node src/cli.ts --store postgres://… --port P` on one
// database, started one after the other with nothing else set, and one whole chat with the
// visitor on the first port and the agent on the second — request, accept, lines and typing
// both ways, the end — each step checked from the other side.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { http, json, pathOf, startInstance, type Instance, type Reply } from '../helpers/instances.ts';
import { startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { asArray, lastSegment, type ChatDoc, type Event, type EventsDoc, type Link } from '../helpers/wire.ts';
import { freePort } from '../helpers/ports.ts';

const VISITOR = { authorization: 'LivePerson appKey=721c180b09eb463d9f3191c41762bb68' };
const QS = '?v=1&NC=true';

let pgServer: TestPostgres | null = null;
const instances: Instance[] = [];
after(async () => {
  await Promise.all(instances.map((i) => i.kill('SIGKILL')));
  await pgServer?.destroy();
});


const put = (url: string, headers: Record<string, string>, body: unknown): Promise<Reply> => http('POST', url, { headers: { ...headers, 'x-http-method-override': 'PUT' }, body });
const line = (text: string): { event: { '@type': string; text: string } } => ({ event: { '@type': 'line', text } });
const nextOf = (links: Link[]): string => {
  const next = links.find((l) => l['@rel'] === 'next');
  assert.ok(next, 'a next link');
  return next['@href'];
};
const ok = <T>(r: Reply, status = 200): T => {
  assert.equal(r.status, status, r.text);
  return (r.text === '' ? null : json<T>(r)) as T;
};
const shown = (events: Event[]): Array<string | number | undefined> => events.map((e) => e.state ?? e.systemMessageId ?? e.text);

test('two instances on one PostgreSQL: the visitor on one port, the agent on the other', { timeout: 60_000 }, async () => {
  pgServer = await startPostgres();
  const url = await pgServer.createDatabase('readme');
  const [pa, pb] = [await freePort(), await freePort()];
  const a = await startInstance('a', ['--store', url, '--port', String(pa)]);
  instances.push(a);
  const b = await startInstance('b', ['--store', url, '--port', String(pb)]);
  instances.push(b);
  assert.equal(a.url, `http://127.0.0.1:${pa}`);
  assert.equal(b.url, `http://127.0.0.1:${pb}`);
  // The first start made the demo account and shows its password; the second found it there.
  assert.match(a.output(), /^store: PostgreSQL postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/readme$/m);
  assert.match(a.output(), /^agent login: {6}natalie \/ secret/m);
  assert.match(b.output(), /^agent login: {6}natalie \(password as provisioned\)$/m);
  const [va, ab] = [`${a.url}/api/account/12345678`, `${b.url}/api/account/12345678`];

  // 1. The visitor asks for a chat on A; its address names A, and B answers the same path.
  const requested = await http('POST', `${va}/chat/request.json${QS}`, { headers: VISITOR, body: { request: { skill: 'Sales', interactionTimeout: 600 } } });
  assert.equal(requested.status, 201, requested.text);
  assert.equal(requested.text, '');
  const visitorChat = requested.location ?? '';
  assert.ok(visitorChat.startsWith(`${va}/chat/`), visitorChat);
  const first = ok<ChatDoc>(await http('GET', `${visitorChat}.json${QS}`, { headers: VISITOR }));
  assert.equal(first.chat.info.state, 'waiting');
  assert.deepEqual(shown(asArray(first.chat.events.event)), ['waiting', 4]);
  let visitorNext = nextOf(first.chat.events.link);
  assert.ok(visitorNext.startsWith(a.url), visitorNext);
  assert.equal(ok<{ info: { state: string } }>(await http('GET', `${b.url}${pathOf(visitorChat)}/info.json`, { headers: VISITOR })).info.state, 'waiting');

  // 2. The agent logs in on B, opens a session, goes Online: the chat rings for her.
  const bearer = ok<{ bearer: string }>(await http('POST', `${ab}/login?v=1.3`, { body: { username: 'natalie', password: 'secret' } })).bearer;
  const auth = { authorization: `Bearer ${bearer}` };
  const session = (await http('POST', `${ab}/agentSession.json${QS}`, { headers: auth, body: { loginData: '' } })).location ?? '';
  assert.ok(session.startsWith(`${ab}/agentSession/`), session);
  assert.deepEqual(ok<unknown>(await put(`${session}/availability.json${QS}`, auth, { availability: { chat: 'Online' } })), { availability: { chat: 'Online' } });
  const rings = ok<{ incomingRequests: { ringingCount: string; link: Link } }>(await http('GET', `${session}/incomingRequests.json${QS}`, { headers: auth })).incomingRequests;
  assert.equal(rings.ringingCount, '1');
  assert.ok(rings.link['@href'].startsWith(session), rings.link['@href']);

  // 3. She accepts on B: the agent-side address of the same chat, on B.
  const accepted = await http('POST', rings.link['@href'], { headers: auth, body: {} });
  assert.equal(accepted.status, 201, accepted.text);
  const agentChat = accepted.location ?? '';
  assert.ok(agentChat.startsWith(`${session}/chat/`), agentChat);
  assert.equal(lastSegment(agentChat), lastSegment(visitorChat));
  const agentDoc = ok<ChatDoc>(await http('GET', `${agentChat}.json${QS}`, { headers: auth }));
  let agentNext = nextOf(agentDoc.chat.link);
  assert.ok(agentNext.startsWith(b.url), agentNext);

  // 4. The visitor, on A, sees the accept.
  const accept = ok<EventsDoc>(await http('GET', visitorNext, { headers: VISITOR }));
  assert.deepEqual(shown(asArray(accept.events.event)), ['chatting', 3]);
  assert.equal(asArray(accept.events.event)[1]?.text, 'You are now chatting with Natalie.');
  visitorNext = nextOf(accept.events.link);

  // 5. The agent types and writes on B; the visitor sees both on A.
  ok<null>(await put(`${agentChat}/info/agentTyping.json${QS}`, auth, { agentTyping: 'typing' }));
  assert.equal(ok<{ info: { agentTyping: string; agentName: string } }>(await http('GET', `${visitorChat}/info.json${QS}`, { headers: VISITOR })).info.agentTyping, 'typing');
  ok<unknown>(await http('POST', `${agentChat}/events.json${QS}`, { headers: auth, body: line('Hi, I am Natalie. How can I help?') }), 201);
  const agentLine = ok<EventsDoc>(await http('GET', visitorNext, { headers: VISITOR }));
  assert.deepEqual(asArray(agentLine.events.event).map((e) => [e.source, e.by, e.text]), [['agent', 'Natalie', 'Hi, I am Natalie. How can I help?']]);
  visitorNext = nextOf(agentLine.events.link);
  assert.equal(ok<{ info: { agentTyping: string } }>(await http('GET', `${visitorChat}/info.json${QS}`, { headers: VISITOR })).info.agentTyping, 'not-typing', 'a line ends typing');

  // 6. The visitor types and writes on A; the agent sees both on B.
  ok<null>(await put(`${visitorChat}/info/visitorTyping.json${QS}`, VISITOR, { visitorTyping: 'typing' }));
  assert.equal(ok<{ visitorTyping: string }>(await http('GET', `${agentChat}/info/visitorTyping.json${QS}`, { headers: auth })).visitorTyping, 'typing');
  const posted = await http('POST', `${visitorChat}/events.json${QS}`, { headers: VISITOR, body: line('Where is my parcel?') });
  assert.equal(posted.status, 201, posted.text);
  assert.ok(posted.location?.startsWith(`${visitorChat}/events/`), posted.location ?? '');
  const visitorLine = ok<ChatDoc>(await http('GET', agentNext, { headers: auth }));
  // Her next poll since the accept: her own line, then the visitor's, at the id its Location named.
  assert.deepEqual(asArray(visitorLine.chat.events.event).map((e) => [e.source, e.text]), [
    ['agent', 'Hi, I am Natalie. How can I help?'],
    ['visitor', 'Where is my parcel?'],
  ]);
  assert.equal(asArray(visitorLine.chat.events.event)[1]?.['@id'], lastSegment(posted.location ?? ''));
  assert.equal(visitorLine.chat.info.visitorTyping, 'not-typing');
  agentNext = nextOf(visitorLine.chat.link);

  // 7. The visitor ends on A; the agent sees the end on B, and the chat reads the same on both.
  ok<unknown>(await http('POST', `${visitorChat}/events.json${QS}`, { headers: VISITOR, body: { event: { '@type': 'state', state: 'ended' } } }), 201);
  const end = ok<ChatDoc>(await http('GET', agentNext, { headers: auth }));
  assert.equal(asArray(end.chat.events.event).at(-1)?.state, 'ended');
  assert.equal(end.chat.info.state, 'ended');
  const onA = ok<EventsDoc>(await http('GET', `${visitorChat}/events.json`, { headers: VISITOR }));
  const onB = ok<EventsDoc>(await http('GET', `${b.url}${pathOf(visitorChat)}/events.json`, { headers: VISITOR }));
  const ids = asArray(onA.events.event).map((e) => e['@id']);
  assert.deepEqual(ids, ids.map((_, n) => String(n)));
  assert.deepEqual(asArray(onB.events.event), asArray(onA.events.event));
  assert.equal(ok<{ info: { state: string } }>(await http('GET', `${agentChat}/info.json`, { headers: auth })).info.state, 'ended');
});
