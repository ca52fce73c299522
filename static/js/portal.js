/* Jiceng portal: the one script every page loads (after bootstrap and htmx).
 *
 * - htmx requests that change data carry Django's CSRF token, taken from
 *   <meta name="csrf-token"> (base.html) or, failing that, the csrftoken cookie.
 * - <select data-autosubmit> submits its form on change (the language switcher),
 *   so templates need no inline script.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      return meta.content;
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  var SAFE_METHODS = /^(GET|HEAD|OPTIONS|TRACE)$/i;

  document.addEventListener("htmx:configRequest", function (event) {
    if (!SAFE_METHODS.test(event.detail.verb || "")) {
      event.detail.headers["X-CSRFToken"] = csrfToken();
    }
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) {
        el.form.requestSubmit();
      } else {
        el.form.submit();
      }
    }
  });
})();
