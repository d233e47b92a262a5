// A site's own small chat client on another origin: plain fetch through CORS (a preflight
// for Authorization and JSON), the chat's address read from Location of the 201, lines both
// ways by polling events?from=N. Driven by test/browser/cross-origin.test.ts.
(function () {
  var state = { base: '', auth: '', chat: '', next: 0, lines: [] };
  var call = async function (method, url, body) {
    var headers = { Authorization: state.auth, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    var res = await fetch(url, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) });
    var text = await res.text();
    return { status: res.status, location: res.headers.get('Location'), body: text === '' ? null : JSON.parse(text) };
  };
  var list = function (v) {
    return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
  };
  window.shopChat = {
    start: async function (server, account, appKey) {
      state.base = server + '/api/account/' + account;
      state.auth = 'LivePerson appKey=' + appKey;
      var res = await call('POST', state.base + '/chat/request.json?v=1&NC=true', { request: { skill: 'Sales', visitorName: 'Fetch visitor' } });
      if (res.status !== 201 || !res.location) throw new Error('Start Chat answered ' + res.status + ' with Location ' + res.location);
      state.chat = res.location;
      return res.location;
    },
    poll: async function () {
      var res = await call('GET', state.chat + '/events.json?v=1&NC=true&from=' + state.next);
      if (res.status !== 200) throw new Error('poll answered ' + res.status);
      list(res.body.events.event).forEach(function (e) {
        state.next = Math.max(state.next, Number(e['@id']) + 1);
        if (e['@type'] === 'line') state.lines.push({ by: e.by, source: e.source, text: e.text });
        if (e['@type'] === 'state') state.lines.push({ state: e.state });
      });
      return state.lines;
    },
    say: async function (text) {
      var res = await call('POST', state.chat + '/events.json?v=1&NC=true', { event: { '@type': 'line', text: text, textType: 'plain' } });
      if (res.status !== 201 || !res.location) throw new Error('Add Line answered ' + res.status + ' with Location ' + res.location);
      return res.location;
    },
    end: async function () {
      var res = await call('POST', state.chat + '/events.json?v=1&NC=true', { event: { '@type': 'state', state: 'ended' } });
      if (res.status !== 201) throw new Error('End Chat answered ' + res.status);
    },
  };
})();
