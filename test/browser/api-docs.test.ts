// /docs/ in Chromium (issue 12 §1, "open /docs in a browser"): the reference page renders the
// served document's operations, and every request it makes stays on this server (no CDN).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { missingBrowser, shot, startWorld, until } from './browser.ts';

const skip = missingBrowser();

test('the API reference at /docs/ shows the vendor operations, loading nothing from elsewhere', { skip: skip ?? false, timeout: 90_000 }, async () => {
  const world = await startWorld();
  try {
    const page = await world.page('docs');
    const origin = world.server.url;
    const elsewhere: string[] = [];
    page.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) elsewhere.push(url);
    });
    await page.goto(`${origin}/docs/`);
    await until(page, 'docs', 'the operations listed', async () => (await page.content()).includes('Retrieve Chat Information'), 30_000);
    const text = await page.content();
    // The first tag's operations are rendered; the others are listed by tag in the sidebar.
    for (const op of ['Start Chat', 'Retrieve Chat Events (from=N)', 'Chat Agent API', 'Login Service API', 'Operations']) assert.ok(text.includes(op), `${op} is on the page`);
    await shot(page, 'api-docs');
    assert.deepEqual(elsewhere, [], 'every request stays on this server');
    assert.deepEqual(world.problems, []);
  } finally {
    await world.close();
  }
});
