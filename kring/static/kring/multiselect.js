// Searchable multi-selects (tom-select, vendored): every <select multiple data-kring-multiselect>
// becomes a field to type in, with the chosen languages as removable chips. Without JavaScript
// the plain <select multiple> stays and the form works the same; the server expands a chosen
// language family to all its varieties (kring/lib/language_select.py).
(function () {
  "use strict";
  function enhance(select) {
    if (select.tomselect || typeof TomSelect === "undefined") {
      return;
    }
    var lang = document.documentElement.lang || "nl";
    var texts = lang === "en"
      ? { none: "No language found for", placeholder: "Type to search…", remove: "Remove" }
      : { none: "Geen taal gevonden voor", placeholder: "Typ om te zoeken…", remove: "Weghalen" };
    // tom-select points the <label> at its own search field; the original select (kept,
    // visually hidden, for the form) keeps its name through aria-labelledby.
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    if (label && !label.id) {
      label.id = select.id + "-label";
    }
    new TomSelect(select, {
      plugins: { remove_button: { title: texts.remove } },
      maxOptions: null,
      hidePlaceholder: true,
      placeholder: texts.placeholder,
      closeAfterSelect: true,
      render: {
        no_results: function (data, escape) {
          return '<div class="no-results">' + texts.none + " “" + escape(data.input) + "”</div>";
        },
      },
    });
    if (label) {
      select.setAttribute("aria-labelledby", label.id);
    }
  }
  function enhanceAll() {
    document.querySelectorAll("select[multiple][data-kring-multiselect]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
})();
