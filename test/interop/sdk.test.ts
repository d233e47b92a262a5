// Interop: LivePerson's own browser SDK (npm liveperson-chat-api) drives a whole chat
// against serverchat over HTTPS while an agent works it through the Chat Agent API on the
// same socket and a real SMTP server on loopback takes the transcript. The SDK and the
// server are untouched; the only harness-side adaptations are the two real-clients.md
// names (header-name case, the page's Array). See docs/compatibility.md "Interop".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSurveyFile } from '../../src/provisioning/demo-surveys.ts';
import { ACCOUNT, AGENT, APP_KEY } from '../helpers/app.ts';
import { startSmtpSink } from '../helpers/smtp.ts';
import { asArray } from '../helpers/wire.ts';
import { AgentClient } from './agent-client.ts';
import { startHttpsServer } from './https-server.ts';
import { assertCleanRun, at, list, question } from './sdk-checks.ts';
import { SdkPage, type Json } from './sdk-page.ts';

const VISITOR_LINE = 'Hello, is it in stock?';
const AGENT_LINE = 'Yes, we have it in red.';
const PRE_CHAT = ['I was looking at the red bike', 'Order 1234'];

test('the LivePerson JS SDK runs a whole chat against serverchat over HTTPS', { timeout: 60_000 }, async () => {
  const smtp = await startSmtpSink();
  const https = await startHttpsServer(['--smtp-url', smtp.url]).catch(async (err: unknown) => {
    await smtp.close();
    throw err;
  });
  const storedChat = async (id: string) => https.server.store.getChat(ACCOUNT, id);
  let page: SdkPage | null = null;
  try {
    page = new SdkPage(https.origin);
    // The agent is Online first, so the account is available and the chat rings at once.
    const agent = await AgentClient.online(https.origin);

    // 1. Init: the SDK reads the account root (and from then on follows only its rels).
    let mark = page.mark();
    page.start({ lpNumber: ACCOUNT, appKey: APP_KEY, domain: https.domain });
    assert.deepEqual(await page.waitFor('init from the account root', 'onInit', () => true, mark), { account: ACCOUNT, domain: https.domain, init: true });
    const root = page.xhrs[0];
    assert.ok(root, 'the SDK made a request');
    assert.equal(root.method, 'GET');
    assert.ok(root.url.startsWith(`${https.origin}/api/account/${ACCOUNT}.json?v=1&`), root.url);

    // 2. Availability and estimated wait time.
    assert.deepEqual(await page.call('availability', 'getAvailability', { skill: 'Sales' }), { availability: true });
    await page.waitFor('availability: onAvailability', 'onAvailability', (d) => at(d, 'availability') === true, mark);
    assert.deepEqual(await page.call('estimated wait time', 'getEstimatedWaitTime', { skill: 'Sales' }), { estimatedWaitTime: 0 });
    await page.waitFor('estimated wait time: onEstimatedWaitTime', 'onEstimatedWaitTime', (d) => at(d, 'estimatedWaitTime') === 0, mark);

    // 3. The pre-chat survey, answered inside the chat request.
    const pre = await page.call('pre-chat survey', 'getPreChatSurvey', { skill: 'Sales' });
    assert.equal(at(pre, 'survey', 'id'), demoSurveyFile.preChat.id);
    assert.deepEqual(list(at(pre, 'survey', 'questions', 'question')).map((q) => at(q, 'id')), demoSurveyFile.preChat.questions.map((q) => q.id));
    const preAnswers = [
      { id: question('preChat', 'What is your name?'), answer: 'Ann' },
      { id: question('preChat', 'What is your question about?'), answer: 'Orders' },
    ];

    // 4. Request a chat with pre-chat lines and answers: 201 + Location, then the SDK reads the chat.
    mark = page.mark();
    const requested = await page.call('request chat', 'requestChat', {
      skill: 'Sales',
      preChatLines: page.array(PRE_CHAT),
      survey: { id: demoSurveyFile.preChat.id, question: page.array(preAnswers) },
    });
    assert.equal(at(requested, 'info', 'state'), 'waiting');
    await page.waitFor('request chat: state waiting', 'onState', (d) => at(d, 'state') === 'waiting', mark);
    const post = page.xhrs.find((x) => x.method === 'POST' && x.url.includes('/chat/request.json?'));
    assert.ok(post, 'the SDK posted to the chat-request rel');
    assert.equal(post.status, 201);
    assert.deepEqual(at(JSON.parse(post.body ?? 'null') as Json, 'request', 'preChatLines'), { line: PRE_CHAT });

    // 5. The agent accepts; the SDK's poll turns to chatting and learns the agent's name.
    mark = page.mark();
    await agent.acceptWhenRinging();
    const chatId = agent.chat.split('/').pop() ?? '';
    await page.waitFor('agent accepts: SDK sees chatting', 'onState', (d) => at(d, 'state') === 'chatting', mark);
    await page.waitFor('agent accepts: SDK learns the agent name', 'onInfo', (d) => at(d, 'agentName') === AGENT.name, mark);
    assert.equal(at(await page.waitFor('agent accepts: onInfo', 'onInfo', () => true, mark), 'chatSessionKey'), chatId);
    for (const text of PRE_CHAT) {
      const line = await agent.waitForEvent(`agent sees pre-chat line "${text}"`, (e) => e['@type'] === 'line' && e.text === text);
      assert.equal(line.source, 'system');
    }
    const preKept = (await storedChat(chatId))?.preChatSurvey;
    assert.equal(preKept?.surveyId, demoSurveyFile.preChat.id, 'the pre-chat answers are kept with the chat');
    assert.deepEqual(preKept.answers.map((a) => [a.questionId, a.values]), preAnswers.map((a) => [a.id, [a.answer]]));

    // 6. Visitor name: the agent reads it.
    assert.deepEqual(await page.call('set visitor name', 'setVisitorName', { visitorName: 'Ann' }), { visitorName: 'Ann' });
    await agent.waitForGet<{ visitorName: string }>('agent sees the visitor name', '/info/visitorName', (b) => b.visitorName === 'Ann');

    // 7. Visitor typing: the agent reads it.
    assert.deepEqual(await page.call('set visitor typing', 'setVisitorTyping', { typing: true }), { typing: true });
    await agent.waitForGet<{ visitorTyping: string }>('agent sees the visitor typing', '/info/visitorTyping', (b) => b.visitorTyping === 'typing');

    // 8. A visitor line reaches the agent.
    assert.deepEqual(await page.call('visitor line', 'addLine', { text: VISITOR_LINE }), { text: VISITOR_LINE });
    const vline = await agent.waitForEvent('agent sees the visitor line', (e) => e['@type'] === 'line' && e.text === VISITOR_LINE);
    assert.equal(vline.source, 'visitor');
    assert.equal(vline.by, 'Ann');

    // 9. The agent types: the SDK raises onAgentTyping.
    mark = page.mark();
    await agent.typing('typing');
    await page.waitFor('SDK sees the agent typing', 'onAgentTyping', (d) => at(d, 'agentTyping') === true, mark);

    // 10. An agent line reaches the SDK's onLine, and ends the agent's typing.
    mark = page.mark();
    await agent.line(AGENT_LINE);
    const got = await page.waitFor('SDK receives the agent line', 'onLine', (d) => list(at(d, 'lines')).some((l) => at(l, 'text') === AGENT_LINE), mark);
    const agentLine = list(at(got, 'lines')).find((l) => at(l, 'text') === AGENT_LINE);
    assert.equal(at(agentLine, 'source'), 'agent');
    assert.equal(at(agentLine, 'by'), AGENT.name);
    await page.waitFor('a line ends the agent typing', 'onAgentTyping', (d) => at(d, 'agentTyping') === false, mark);

    // 11. Custom variables: the agent reads them on the visit.
    const vars = [
      { name: 'orderId', value: '1234' },
      { name: 'tier', value: 'gold' },
    ];
    assert.deepEqual(await page.call('custom variables', 'setCustomVariable', { customVariable: { orderId: '1234', tier: 'gold' } }), { customVariable: vars });
    const seenVars = await agent.sessionGet<{ customVariables: { customVariable: unknown } }>(`/visits/visit/${chatId}/customVariables`);
    assert.deepEqual(asArray(seenVars.customVariables.customVariable), vars);

    // 12. Transcript: the SDK asks for it; a real SMTP server on loopback receives it.
    mark = page.mark();
    assert.deepEqual(await page.call('transcript request', 'requestTranscript', { email: 'ann@example.com' }), { email: 'ann@example.com' });
    await page.waitFor('transcript: onTranscript', 'onTranscript', (d) => at(d, 'email') === 'ann@example.com', mark);
    const mail = await smtp.waitForMessage(5_000);
    assert.deepEqual(smtp.recipients.at(-1), ['ann@example.com']);
    for (const text of [VISITOR_LINE, AGENT_LINE]) assert.ok(mail.text?.includes(text), `the transcript holds "${text}": ${mail.text}`);

    // 13. Exit survey, in the order (before the end; the server also takes it after
    //     the end, see test/api/visitor-exit-survey.test.ts): read, answer, kept.
    mark = page.mark();
    const exit = demoSurveyFile.exit;
    const survey = await page.call('exit survey', 'getExitSurvey');
    assert.equal(at(survey, 'survey', 'id'), exit.id);
    assert.deepEqual(list(at(survey, 'survey', 'questions', 'question')).map((q) => at(q, 'id')), exit.questions.map((q) => q.id));
    await page.waitFor('exit survey: onExitSurvey', 'onExitSurvey', (d) => at(d, 'survey', 'id') === exit.id, mark);
    const exitAnswers = [
      { id: question('exit', 'Would you like us to email you a transcript of this chat?'), answer: 'no' },
      { id: question('exit', 'How would you rate this chat?'), answer: '5' },
    ];
    await page.call('submit exit survey', 'submitExitSurvey', { survey: { id: exit.id, question: page.array(exitAnswers) } });
    const kept = (await storedChat(chatId))?.exitSurvey;
    assert.equal(kept?.surveyId, exit.id, 'the exit survey answers are kept with the chat');
    assert.deepEqual(kept.answers.map((a) => [a.questionId, a.values]), exitAnswers.map((a) => [a.id, [a.answer]]));

    // 14. The visitor ends the chat: the SDK stops polling, the agent sees the end.
    mark = page.mark();
    assert.equal(at(await page.call('end chat', 'endChat'), 'state'), 'ended');
    await page.waitFor('end: SDK state ended', 'onState', (d) => at(d, 'state') === 'ended', mark);
    await page.waitFor('end: onStop', 'onStop', () => true, mark);
    await agent.waitForEvent('agent sees the chat end', (e) => e['@type'] === 'state' && e.state === 'ended');

    assertCleanRun(page, https.origin);
  } finally {
    page?.close();
    await https.close();
    await smtp.close();
  }
});
