// Interop, shorter runs of LivePerson's own browser SDK against serverchat over HTTPS:
// availability per skill and the offline survey, an agent ending the chat, and a page
// reload that resumes the chat. See sdk.test.ts and docs/compatibility.md "Interop".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSurveyFile } from '../../src/provisioning/demo-surveys.ts';
import { demoProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { ACCOUNT, AGENT, APP_KEY } from '../helpers/app.ts';
import { AgentClient } from './agent-client.ts';
import { startHttpsServer } from './https-server.ts';
import { assertCleanRun, at, list, question } from './sdk-checks.ts';
import { SdkPage } from './sdk-page.ts';

/** Demo account plus a skill nobody serves, for the SDK's several-skills availability. */
const withBilling: Provisioning = {
  accounts: demoProvisioning.accounts.map((a) => ({ ...a, skills: [...a.skills, { id: 25975399, name: 'Billing' }] })),
};

test('the SDK reads availability per skill and leaves an offline survey', { timeout: 30_000 }, async () => {
  const https = await startHttpsServer([], withBilling);
  let page: SdkPage | null = null;
  try {
    page = new SdkPage(https.origin);
    await AgentClient.online(https.origin);
    const mark = page.mark();
    page.start({ lpNumber: ACCOUNT, appKey: APP_KEY, domain: https.domain });
    await page.waitFor('init from the account root', 'onInit', () => true, mark);

    // Several skills: the SDK sends skill=…&skill=… and reads AvailabilityForSkills.
    assert.deepEqual(await page.call('availability of two skills', 'getAvailability', { skill: page.array(['Sales', 'Billing']) }), { Sales: true, Billing: false });
    assert.ok(page.xhrs.some((x) => x.url.includes('/chat/availability.json?') && x.url.includes('&skill=Sales&skill=Billing')));
    assert.deepEqual(await page.call('availability of a skill nobody serves', 'getAvailability', { skill: 'Billing' }), { availability: false });

    // The offline survey of that skill (the account's), read and submitted.
    const offline = demoSurveyFile.offline;
    const survey = await page.call('offline survey', 'getOfflineSurvey', { skill: 'Billing' });
    assert.equal(at(survey, 'survey', 'id'), offline.id);
    const answers = [
      { id: question('offline', 'Your name:'), answer: 'Ann' },
      { id: question('offline', 'Your e-mail address:'), answer: 'ann@example.com' },
      { id: question('offline', 'What do you want? :'), answer: 'A call back about billing, please.' },
    ];
    await page.call('submit offline survey', 'submitOfflineSurvey', { survey: { id: offline.id, question: page.array(answers) } });
    const kept = await https.server.store.listOfflineSurveys(ACCOUNT);
    assert.equal(kept.length, 1, 'the offline survey is kept');
    assert.deepEqual(kept[0]?.answers.map((a) => [a.questionId, a.values]), answers.map((a) => [a.id, [a.answer]]));
    assertCleanRun(page, https.origin);
  } finally {
    page?.close();
    await https.close();
  }
});

test('the SDK follows an agent ending the chat', { timeout: 30_000 }, async () => {
  const https = await startHttpsServer();
  let page: SdkPage | null = null;
  try {
    page = new SdkPage(https.origin);
    const agent = await AgentClient.online(https.origin);
    let mark = page.mark();
    page.start({ lpNumber: ACCOUNT, appKey: APP_KEY, domain: https.domain });
    await page.waitFor('init from the account root', 'onInit', () => true, mark);
    await page.call('request chat', 'requestChat', { skill: 'Sales' });
    mark = page.mark();
    await agent.acceptWhenRinging();
    await page.waitFor('agent accepts: SDK sees chatting', 'onState', (d) => at(d, 'state') === 'chatting', mark);

    // The agent ends: the SDK's poll brings system line 5, then state ended, and it stops.
    mark = page.mark();
    await agent.end();
    const got = await page.waitFor('SDK gets the end line', 'onLine', (d) => list(at(d, 'lines')).some((l) => at(l, 'systemMessageId') === 5), mark);
    const endLine = list(at(got, 'lines')).find((l) => at(l, 'systemMessageId') === 5);
    assert.equal(at(endLine, 'source'), 'system');
    assert.ok(String(at(endLine, 'text')).includes(AGENT.name), JSON.stringify(endLine));
    await page.waitFor('SDK state ended', 'onState', (d) => at(d, 'state') === 'ended', mark);
    await page.waitFor('SDK stops', 'onStop', () => true, mark);

    // The vendor's widget shows the exit survey once the chat has ended: it still works.
    mark = page.mark();
    const exit = demoSurveyFile.exit;
    assert.equal(at(await page.call('exit survey after the end', 'getExitSurvey'), 'survey', 'id'), exit.id);
    await page.waitFor('after the end: onExitSurvey', 'onExitSurvey', (d) => at(d, 'survey', 'id') === exit.id, mark);
    const answers = [{ id: question('exit', 'How would you rate this chat?'), answer: '4' }];
    await page.call('submit exit survey after the end', 'submitExitSurvey', { survey: { id: exit.id, question: page.array(answers) } });
    const chatId = agent.chat.split('/').pop() ?? '';
    const kept = (await https.server.store.getChat(ACCOUNT, chatId))?.exitSurvey;
    assert.equal(kept?.surveyId, exit.id, 'the exit survey answers are kept with the ended chat');
    assertCleanRun(page, https.origin);
  } finally {
    page?.close();
    await https.close();
  }
});

test('a reloaded page resumes the chat where it was', { timeout: 30_000 }, async () => {
  const https = await startHttpsServer();
  const pages: SdkPage[] = [];
  try {
    const first = new SdkPage(https.origin);
    pages.push(first);
    const agent = await AgentClient.online(https.origin);
    let mark = first.mark();
    first.start({ lpNumber: ACCOUNT, appKey: APP_KEY, domain: https.domain });
    await first.waitFor('init from the account root', 'onInit', () => true, mark);
    await first.call('request chat', 'requestChat', { skill: 'Sales' });
    mark = first.mark();
    await agent.acceptWhenRinging();
    await first.waitFor('agent accepts: SDK sees chatting', 'onState', (d) => at(d, 'state') === 'chatting', mark);
    await first.call('visitor line before the reload', 'addLine', { text: 'Before the reload' });
    await agent.waitForEvent('agent sees the line before the reload', (e) => e.text === 'Before the reload');

    // Reload: a new page with the same sessionStorage, where the SDK left its chat's address.
    const session = first.sessionEntries();
    first.close();
    const second = new SdkPage(https.origin, session);
    pages.push(second);
    mark = second.mark();
    second.start({ lpNumber: ACCOUNT, appKey: APP_KEY, domain: https.domain });
    await second.waitFor('reload: the SDK resumes', 'onState', (d) => at(d, 'state') === 'resume', mark);
    await second.waitFor('reload: the chat is still chatting', 'onState', (d) => at(d, 'state') === 'chatting', mark);
    await second.waitFor('reload: the history is back', 'onLine', (d) => list(at(d, 'lines')).some((l) => at(l, 'text') === 'Before the reload'), mark);
    assert.ok(!second.xhrs.some((x) => x.url.includes('/chat/request')), 'no new chat was requested');

    // And the chat goes on from the resumed page, both ways.
    mark = second.mark();
    await agent.line('Welcome back.');
    await second.waitFor('reload: the agent line arrives', 'onLine', (d) => list(at(d, 'lines')).some((l) => at(l, 'text') === 'Welcome back.'), mark);
    await second.call('visitor line after the reload', 'addLine', { text: 'After the reload' });
    await agent.waitForEvent('agent sees the line after the reload', (e) => e.text === 'After the reload');
    await second.call('end chat', 'endChat');
    await agent.waitForEvent('agent sees the chat end', (e) => e['@type'] === 'state' && e.state === 'ended');
    assertCleanRun(first, https.origin);
    // On resume the SDK starts its poll before it has re-read the chat, so before it knows
    // the `next` rel: it logs that (no request is built) and polls once the chat is read.
    assertCleanRun(second, https.origin, ['_getEvents - unable to find rel for request']);
  } finally {
    for (const page of pages) page.close();
    await https.close();
  }
});
