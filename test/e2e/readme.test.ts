// The README's curl walk-through works as printed: start a real server, run the README's
// ```sh block with bash against it, and check that the chat went all the way to "ended".
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { delimiter, dirname } from 'node:path';
import { test } from 'node:test';
import { missingTools, runBash, WALKTHROUGH_TIMEOUT_MS } from '../helpers/bash.ts';
import { loadConfig } from '../../src/config.ts';
import { start } from '../../src/server.ts';

const README = new URL('../../README.md', import.meta.url);
const MARKER = 'BASE=${BASE:-http://127.0.0.1:8080}';
const TIMEOUT_MS = WALKTHROUGH_TIMEOUT_MS;

/** The one ```sh block of the README that starts from BASE: the walk-through. */
function walkThrough(): string {
  const blocks = [...readFileSync(README, 'utf8').matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
  const found = blocks.filter((b) => b.includes(MARKER));
  assert.equal(found.length, 1, `README.md should have exactly one \`\`\`sh block containing ${MARKER}`);
  return found[0] as string;
}


const missing = missingTools(['bash', 'curl']);

test('the README curl walk-through runs as printed', { skip: missing.length > 0 ? `needs ${missing.join(' and ')}` : false, timeout: TIMEOUT_MS + 10_000 }, async () => {
  const script = walkThrough();
  const config = loadConfig(['--memory', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent'], {});
  const { app, url } = await start(config);
  try {
    // The block's `node -e` helper runs on the same Node as the tests.
    const env = { ...process.env, BASE: url, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
    const run = await runBash(script, env);
    const report = `exit ${run.code}${run.signal ? ` (${run.signal})` : ''}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
    assert.equal(run.signal, null, `the walk-through was killed (over ${TIMEOUT_MS} ms?)\n${report}`);
    assert.equal(run.code, 0, report);

    const out = run.stdout;
    const steps: Array<[string, string | RegExp]> = [
      ['the chat request answers 201 with a Location', /^HTTP\/1\.1 201 Created\nLocation: http:\/\/127\.0\.0\.1:\d+\/api\/account\/12345678\/chat\/H\d+-[0-9a-f]{32}K\d+$/m],
      ['the new chat waits, with the routing line', '"text":"Thank you for choosing to chat with us.","by":"info","source":"system","systemMessageId":4'],
      ['the agent goes online', '{"availability":{"chat":"Online"}}'],
      ['the chat rings for the agent', '"ringingCount":"1"'],
      ['the visitor sees the chat accepted', '"state":"chatting"'],
      ['the visitor sees the acceptance line', '"text":"You are now chatting with Natalie."'],
      ['the visitor sees the agent line', '"text":"Hi, I am Natalie. How can I help?","by":"Natalie","source":"agent"'],
      ['the posted visitor line reads back', '"text":"Where is my parcel?","by":"Alex","source":"visitor"'],
      ['the info shows the agent typing', 'state=chatting agentName=Natalie agentTyping=typing visitorName=Alex'],
      ['XML works', '<agentTyping>typing</agentTyping>'],
      ['the XML line reads back in XML', '<text>It was due on Monday.</text>'],
      ['the agent end answers chatLocation', '{"chatLocation":{"link":{"@href":'],
      ['the visitor sees the end line', '"text":"Natalie has ended the chat.","by":"info","source":"system","systemMessageId":5'],
      ['the visitor sees the ended state', '"state":"ended"'],
    ];
    for (const [what, expected] of steps) {
      if (typeof expected === 'string') assert.ok(out.includes(expected), `${what}: expected ${expected}\n${report}`);
      else assert.match(out, expected, `${what}\n${report}`);
    }
    assert.equal(out.trimEnd().split('\n').at(-1), 'ended', `the last line is the final state\n${report}`);
  } finally {
    await app.close();
  }
});
