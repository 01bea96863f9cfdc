// A form that creates something is sent once: a second tap while the first is on its way
// does nothing. The server saves once in any case (kring/accounts/once.py); this only spares
// the second request. Forms with a one-time token, and those marked data-kring-once.
(function () {
  "use strict";
  function sendsOnce(form) {
    return form.hasAttribute("data-kring-once") || form.querySelector('input[name="once"]');
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !sendsOnce(form)) return;
    if (form.hasAttribute("data-kring-sent")) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-kring-sent", "");
    form.setAttribute("aria-busy", "true");
  });
  // Back on a page kept by the browser: its forms can be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-kring-sent]").forEach(function (form) {
      form.removeAttribute("data-kring-sent");
      form.removeAttribute("aria-busy");
    });
  });
})();
