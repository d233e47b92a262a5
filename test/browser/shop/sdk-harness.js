// The test's handle on the unmodified JS SDK in this page: starts ChatOverRestAPI with a
// recorder on every event and calls its methods as promises (success resolves, error or
// refusal rejects with what the SDK said). Driven by test/browser/cross-origin.test.ts.
(function () {
  var EVENTS = ['onLoad', 'onInit', 'onState', 'onStart', 'onStop', 'onInfo', 'onLine', 'onEvents', 'onAgentTyping', 'onRequestChat', 'onAvailability', 'onAddLine', 'onError'];
  var copy = function (v) {
    try {
      return JSON.parse(JSON.stringify(v === undefined ? null : v));
    } catch (e) {
      return String(v);
    }
  };
  var harness = {
    events: [],
    sdk: null,
    start: function (options) {
      var opts = {};
      for (var k in options) opts[k] = options[k];
      EVENTS.forEach(function (name) {
        opts[name] = function (data) {
          harness.events.push({ name: name, data: copy(data) });
        };
      });
      harness.sdk = new lpTag.taglets.ChatOverRestAPI(opts);
    },
    call: function (method, args, timeoutMs) {
      return new Promise(function (resolve, reject) {
        var timer = setTimeout(function () {
          reject(new Error(method + ': no answer within ' + timeoutMs + ' ms'));
        }, timeoutMs);
        var opts = {};
        for (var k in args) opts[k] = args[k];
        opts.success = function (data) {
          clearTimeout(timer);
          resolve(copy(data));
        };
        opts.error = function (data) {
          clearTimeout(timer);
          reject(new Error(method + ': error callback with ' + JSON.stringify(copy(data))));
        };
        var queued = harness.sdk[method](opts);
        if (queued !== true && queued !== undefined) {
          clearTimeout(timer);
          reject(new Error(method + ': the SDK refused to send ' + JSON.stringify(copy(queued))));
        }
      });
    },
    /** One request through the SDK's own transport layer (lpAjax), for what the chat API never sends. */
    raw: function (request, timeoutMs) {
      return new Promise(function (resolve) {
        var started = Date.now();
        var timer = setTimeout(function () {
          resolve({ outcome: 'silent', ms: Date.now() - started });
        }, timeoutMs);
        var done = function (outcome) {
          return function (data) {
            clearTimeout(timer);
            resolve({ outcome: outcome, ms: Date.now() - started, data: copy(data) });
          };
        };
        request.success = done('success');
        request.error = done('error');
        lpTag.taglets.lpAjax.issueCall(request);
      });
    },
  };
  window.harness = harness;
})();
