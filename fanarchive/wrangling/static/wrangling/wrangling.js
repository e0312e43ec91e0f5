/* fanarchive wrangling pages: tag-name autocomplete (into a <datalist>) and "tick all".
   An external file, no inline script or style, so the pages work under a strict CSP.
   Everything here is an enhancement: the forms work without it. */
(function () {
  "use strict";

  function targetType(input) {
    if (input.dataset.type) return input.dataset.type;
    var select = input.dataset.typeFrom && document.getElementById(input.dataset.typeFrom);
    if (!select) return "";
    var option = select.options[select.selectedIndex];
    return (option && option.dataset.targetType) || "";
  }

  function setupAutocomplete(input) {
    var list = input.list;
    if (!list) return;
    var timer = null;
    var last = "";
    var controller = null;
    input.addEventListener("input", function () {
      var term = input.value.trim();
      clearTimeout(timer);
      if (term.length < 2 || term === last) return;
      timer = setTimeout(function () {
        last = term;
        if (controller) controller.abort();
        controller = window.AbortController ? new AbortController() : null;
        var url = input.dataset.autocomplete + "?" + new URLSearchParams({
          term: term, type: targetType(input)
        }).toString();
        fetch(url, {
          credentials: "same-origin",
          headers: { "Accept": "application/json" },
          signal: controller ? controller.signal : undefined
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            while (list.firstChild) list.removeChild(list.firstChild);
            data.results.forEach(function (tag) {
              var option = document.createElement("option");
              option.value = tag.name;
              option.label = tag.canonical ? tag.name + " (canonical)" : tag.name;
              list.appendChild(option);
            });
          })
          .catch(function () { /* aborted or offline: keep the old list */ });
      }, 200);
    });
  }

  function setupSelectAll(box) {
    var name = box.dataset.selectAll;
    box.addEventListener("change", function () {
      document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (c) {
        c.checked = box.checked;
      });
    });
  }

  document.querySelectorAll("input[data-autocomplete]").forEach(setupAutocomplete);
  document.querySelectorAll("input[data-select-all]").forEach(setupSelectAll);
})();
