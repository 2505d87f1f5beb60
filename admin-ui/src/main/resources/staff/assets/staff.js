// CivicBot staff app. The CSRF token is renewed after every change: send the current one with every htmx request
// and every form (the forms also work without this script, page by page).
(function () {
  'use strict';
  function token() {
    var m = document.cookie.match(/(?:^|;\s*)civicbot-xsrf=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : '';
  }
  document.addEventListener('htmx:configRequest', function (e) {
    var t = token();
    if (t) { e.detail.headers['X-XSRF-TOKEN'] = t; }
  });
  document.addEventListener('submit', function (e) {
    var field = e.target.querySelector('input[name="X-XSRF-TOKEN"]');
    var t = token();
    if (field && t) { field.value = t; }
  }, true);

  // The inbox refreshes its lists every few seconds: the page title counts the citizens waiting, and a new one is
  // announced (a short tone and a message for screen readers) so an agent on another tab notices.
  var waiting = null;
  function inboxChanged() {
    var lists = document.getElementById('inbox-lists');
    if (!lists) { return; }
    var count = parseInt(lists.getAttribute('data-waiting'), 10) || 0;
    document.title = (count > 0 ? '(' + count + ') ' : '') + document.title.replace(/^\(\d+\) /, '');
    if (waiting !== null && count > waiting) {
      var alert = document.getElementById('inbox-alert');
      if (alert) { alert.textContent = alert.getAttribute('data-text'); }
      // an agent who is away sees the count in the title, without a sound
      if (!alert || alert.getAttribute('data-online') !== 'false') { tone(); }
    }
    waiting = count;
  }
  function tone() {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) { return; }
      var audio = new Context();
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 660;
      gain.gain.value = 0.08;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.25);
    } catch (e) {
      // a browser that will not play sound before a click still shows the count and announces the new handoff
    }
  }
  // A canned answer from the knowledge base goes into the reply box (after what is written there), ready to edit.
  document.addEventListener('click', function (e) {
    var button = e.target.closest ? e.target.closest('[data-insert]') : null;
    if (!button) { return; }
    var box = document.getElementById(button.getAttribute('data-target'));
    if (!box) { return; }
    var text = button.getAttribute('data-insert');
    box.value = box.value.trim() ? box.value.replace(/\s+$/, '') + '\n\n' + text : text;
    box.focus();
  });
  // While the agent writes a reply, the citizen's widget says so: one notice every few seconds at most.
  var typedAt = 0;
  document.addEventListener('input', function (e) {
    var box = e.target;
    if (!box || box.id !== 'reply-text' || !box.form || Date.now() - typedAt < 4000) { return; }
    typedAt = Date.now();
    var url = box.form.getAttribute('action').replace(/\/reply$/, '/typing');
    fetch(url, { method: 'GET', credentials: 'same-origin', cache: 'no-store' })
      .catch(function () { /* only a hint for the citizen */ });
  });
  document.addEventListener('DOMContentLoaded', inboxChanged);
  document.addEventListener('htmx:afterSettle', inboxChanged);
})();
