// The idle logout (kring.lib.security.SessionTimeoutMiddleware), announced: after the warning
// time the notice shows, and "Blijf ingelogd" posts its form in the background, which is
// activity for the server. At the limit the page is fetched again, so the server's logout
// takes it off the screen instead of leaving a family's data open.
(function () {
  "use strict";
  var notice = document.getElementById("kring-session");
  if (!notice) {
    return;
  }
  var form = notice.querySelector("form");
  var warnAfter = Number(notice.dataset.warnAfter) * 1000;
  var idleAfter = Number(notice.dataset.idleAfter) * 1000;
  var warnTimer = 0;
  var endTimer = 0;

  function restart() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    notice.hidden = true;
    warnTimer = window.setTimeout(function () {
      notice.hidden = false;
      form.querySelector("button").focus();
    }, warnAfter);
    endTimer = window.setTimeout(function () {
      window.location.assign(window.location.href);
    }, idleAfter + 5000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 204) {
          restart();
        } else {
          window.location.assign(window.location.href);
        }
      });
  });
  // htmx requests reach the server too, so they count as activity.
  document.body.addEventListener("htmx:afterRequest", restart);
  restart();
})();
