// The embeddable chat widget's loader (docs/widget.md). A site adds
//   <script src="https://HOST/widget.js" data-account="…" data-app-key="…" data-skill="…" async></script>
// and gets a chat button and window talking to HOST's Server Chat API. This file is a plain
// classic script (it must run from any page); it reads its own attributes and loads the
// widget's modules from the same host. Nothing comes from any other host.
(function () {
  'use strict';
  var script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  if (!script || !script.src) return;
  var host = new URL(script.src).origin;
  var options = {
    host: host,
    accountId: script.dataset.account || '',
    appKey: script.dataset.appKey || '',
    skill: script.dataset.skill || '',
    title: script.dataset.title || 'Chat with us',
  };
  import(host + '/widget/app.js').then(
    function (m) {
      m.mount(options);
    },
    function (err) {
      console.warn('serverchat widget: could not load from ' + host, err);
    },
  );
})();
