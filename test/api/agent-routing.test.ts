// Routing as the agent sees it (agent API §3, §4.7–4.8): FIFO, maxChats, skills, Away.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentOnline, endByVisitor, KEY_HEADER, startChat, withApp, type AgentHandle, type TestApp } from '../helpers/app.ts';
import { BILLY, threeAgents, TOM } from '../helpers/contact-centre.ts';
import { lastSegment } from '../helpers/wire.ts';

/** Natalie (Sales, maxChats 1), Tom (Sales, 4), Billy (Billing only, 4). */
const provisioning = threeAgents();

async function ringingCount(t: TestApp, agent: AgentHandle): Promise<string> {
  const res = await t.inject({ method: 'GET', url: `${agent.session}/incomingRequests.json`, headers: agent.auth });
  assert.equal(res.statusCode, 200);
  return (res.json() as { incomingRequests: { ringingCount: string } }).incomingRequests.ringingCount;
}

/** Accepts the next ringing chat and returns its id, or the status code when refused. */
async function accept(t: TestApp, agent: AgentHandle): Promise<string | number> {
  const res = await t.inject({ method: 'POST', url: `${agent.session}/incomingRequests.json`, headers: agent.auth, payload: {} });
  if (res.statusCode !== 201) return res.statusCode;
  return lastSegment(String(res.headers.location));
}

async function setAvailability(t: TestApp, agent: AgentHandle, chat: string): Promise<void> {
  const res = await t.inject({ method: 'PUT', url: `${agent.session}/availability.json`, headers: agent.auth, payload: { availability: { chat } } });
  assert.equal(res.statusCode, 200);
}

async function endByAgent(t: TestApp, agent: AgentHandle, chatId: string): Promise<void> {
  const res = await t.inject({ method: 'POST', url: `${agent.session}/chat/${chatId}/events.json`, headers: agent.auth, payload: { event: { '@type': 'state', state: 'ended' } } });
  assert.equal(res.statusCode, 201);
}

async function visitorState(t: TestApp, chat: string): Promise<string> {
  const res = await t.inject({ method: 'GET', url: `${chat}/info.json`, headers: KEY_HEADER });
  return (res.json() as { info: { state: string } }).info.state;
}

test('FIFO: the older of two waiting chats is accepted first', async () => {
  await withApp({ provisioning }, async (t) => {
    const tom = await agentOnline(t, { online: false, ...TOM });
    const first = await startChat(t);
    await t.tick(1_000);
    const second = await startChat(t);
    await setAvailability(t, tom, 'Online');
    assert.equal(await ringingCount(t, tom), '2');
    assert.equal(await accept(t, tom), lastSegment(first));
    assert.equal(await ringingCount(t, tom), '1');
    assert.equal(await accept(t, tom), lastSegment(second));
    assert.equal(await ringingCount(t, tom), '0');
  });
});

test("an agent's maxChats is respected: the second chat waits until the first ends", async () => {
  await withApp({ provisioning }, async (t) => {
    const natalie = await agentOnline(t); // maxChats 1
    const first = await startChat(t);
    const second = await startChat(t);
    // A ringing chat takes a slot too: only one rings.
    assert.equal(await ringingCount(t, natalie), '1');
    assert.equal(await accept(t, natalie), lastSegment(first));
    assert.equal(await ringingCount(t, natalie), '0');
    assert.equal(await accept(t, natalie), 409);
    assert.equal(await visitorState(t, second), 'waiting');

    await endByAgent(t, natalie, lastSegment(first));
    assert.equal(await ringingCount(t, natalie), '1');
    assert.equal(await accept(t, natalie), lastSegment(second));
    assert.equal(await visitorState(t, second), 'chatting');
  });
});

test('a chat that the visitor ends frees the slot too', async () => {
  await withApp({ provisioning }, async (t) => {
    const natalie = await agentOnline(t);
    const first = await startChat(t);
    const second = await startChat(t);
    assert.equal(await accept(t, natalie), lastSegment(first));
    await endByVisitor(t, first);
    assert.equal(await ringingCount(t, natalie), '1');
    assert.equal(await accept(t, natalie), lastSegment(second));
  });
});

test("skill matters: an agent without the chat's skill never gets it", async () => {
  await withApp({ provisioning }, async (t) => {
    const billy = await agentOnline(t, BILLY);
    const sales = await startChat(t, { skill: 'Sales' });
    assert.equal(await ringingCount(t, billy), '0');
    assert.equal(await accept(t, billy), 409);
    const billing = await startChat(t, { skill: 'Billing' });
    assert.equal(await ringingCount(t, billy), '1');
    assert.equal(await accept(t, billy), lastSegment(billing));
    // The Sales chat still waits for a Sales agent, and goes to one as soon as one is online.
    assert.equal(await visitorState(t, sales), 'waiting');
    const tom = await agentOnline(t, TOM);
    assert.equal(await ringingCount(t, tom), '1');
    assert.equal(await accept(t, tom), lastSegment(sales));
    assert.equal(await ringingCount(t, billy), '0');
  });
});

test('Away and Occupied agents get no new chats', async () => {
  await withApp({ provisioning }, async (t) => {
    const tom = await agentOnline(t, { online: false, ...TOM }); // a fresh session is Away
    const chat = await startChat(t);
    assert.equal(await ringingCount(t, tom), '0');
    assert.equal(await accept(t, tom), 409);
    await setAvailability(t, tom, 'Occupied');
    assert.equal(await ringingCount(t, tom), '0');
    assert.equal(await accept(t, tom), 409);
    await setAvailability(t, tom, 'Away');
    assert.equal(await ringingCount(t, tom), '0');
    assert.equal(await visitorState(t, chat), 'waiting');
    await setAvailability(t, tom, 'Online');
    assert.equal(await ringingCount(t, tom), '1');
    assert.equal(await accept(t, tom), lastSegment(chat));
  });
});

test('going Away un-rings; the chat goes to another agent or back to the queue', async () => {
  await withApp({ provisioning }, async (t) => {
    const tom = await agentOnline(t, TOM);
    const chat = await startChat(t);
    assert.equal(await ringingCount(t, tom), '1');
    await setAvailability(t, tom, 'Away');
    assert.equal(await ringingCount(t, tom), '0');
    assert.equal(await accept(t, tom), 409);
    assert.equal(await visitorState(t, chat), 'waiting');

    // Back Online: it rings again.
    await setAvailability(t, tom, 'Online');
    assert.equal(await ringingCount(t, tom), '1');
    // Another Sales agent comes online; Tom goes Away: the chat moves to her.
    const natalie = await agentOnline(t);
    assert.equal(await ringingCount(t, natalie), '0');
    await setAvailability(t, tom, 'Away');
    assert.equal(await ringingCount(t, tom), '0');
    assert.equal(await ringingCount(t, natalie), '1');
    assert.equal(await accept(t, natalie), lastSegment(chat));
  });
});

test('a chat that ends while ringing stops ringing', async () => {
  await withApp({ provisioning }, async (t) => {
    const tom = await agentOnline(t, TOM);
    const chat = await startChat(t);
    assert.equal(await ringingCount(t, tom), '1');
    await endByVisitor(t, chat);
    assert.equal(await ringingCount(t, tom), '0');
    assert.equal(await accept(t, tom), 409);
  });
});
