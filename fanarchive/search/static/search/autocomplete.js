// Tag name suggestions for inputs with data-autocomplete (comma-separated lists of tags).
(function () {
  "use strict";
  function attach(input) {
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.setAttribute("list", list.id);
    input.parentNode.appendChild(list);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var parts = input.value.split(",");
        var term = parts[parts.length - 1].trim();
        if (term.length < 2) { return; }
        fetch(input.dataset.autocomplete + "?term=" + encodeURIComponent(term))
          .then(function (r) { return r.json(); })
          .then(function (data) {
            var prefix = parts.slice(0, -1).map(function (p) { return p.trim(); });
            list.textContent = "";
            data.tags.forEach(function (tag) {
              var option = document.createElement("option");
              option.value = prefix.concat([tag.name]).join(", ");
              list.appendChild(option);
            });
          });
      }, 200);
    });
  }
  document.querySelectorAll("input[data-autocomplete]").forEach(attach);
})();
