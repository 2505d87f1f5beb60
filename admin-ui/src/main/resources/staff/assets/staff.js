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
})();
