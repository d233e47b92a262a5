// The Android XML client's custom variable form (spec §4.20): POST …/customVariables/{name}
// with one element holding the value, in XML and in JSON; read back on the usual resource.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KEY_HEADER, startChat, withApp } from '../helpers/app.ts';

test('POST customVariables/{name}: one element holding the value (XML and JSON), read back by GET', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const xml = await t.inject({ method: 'POST', url: `${chat}/customVariables/colour.xml`, headers: { ...KEY_HEADER, 'content-type': 'application/xml' }, payload: '<?xml version="1.0" encoding="UTF-8"?><value>blue &amp; red</value>' });
    assert.equal(xml.statusCode, 200, xml.body);
    const json = await t.inject({ method: 'POST', url: `${chat}/customVariables/size.json`, headers: KEY_HEADER, payload: { value: 'XL' } });
    assert.equal(json.statusCode, 200, json.body);
    const put = await t.inject({ method: 'POST', url: `${chat}/customVariables/empty`, headers: { ...KEY_HEADER, 'x-http-method-override': 'PUT', 'content-type': 'application/xml' }, payload: '<value/>' });
    assert.equal(put.statusCode, 200, put.body);
    const got = await t.inject({ method: 'GET', url: `${chat}/customVariables.json`, headers: KEY_HEADER });
    const list = (got.json() as { customVariables: { customVariable: { name: string; value: string }[] } }).customVariables.customVariable;
    const byName = Object.fromEntries(list.map((v) => [v.name, v.value]));
    assert.equal(byName.colour, 'blue & red');
    assert.equal(byName.size, 'XL');
    assert.equal(byName.empty, '');
    const gotXml = await t.inject({ method: 'GET', url: `${chat}/customVariables.xml`, headers: KEY_HEADER });
    assert.match(gotXml.body, /<name>colour<\/name><value>blue &amp; red<\/value>/);
    const bad = await t.inject({ method: 'POST', url: `${chat}/customVariables/x.json`, headers: KEY_HEADER, payload: { a: '1', b: '2' } });
    assert.equal(bad.statusCode, 400);
    const noKey = await t.inject({ method: 'POST', url: `${chat}/customVariables/x.json`, payload: { value: '1' } });
    assert.equal(noKey.statusCode, 401);
  });
});
