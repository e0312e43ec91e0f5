// Tag suggestions for the work form's comma-separated tag inputs (input[data-tag-autocomplete]).
// An ARIA 1.2 combobox: typing shows a list of tags (canonical ones first, as the server sends
// them); Down/Up move through it, Enter or a click picks one (replacing the tag being typed),
// Escape closes it, Tab leaves the input as usual (no focus trap). A live region says how many
// suggestions there are. Without JavaScript the inputs are plain text fields.
(function () {
  "use strict";

  var status = null;

  function liveRegion() {
    if (status) { return status; }
    status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    document.body.appendChild(status);
    return status;
  }

  function attach(input) {
    var listId = input.id + "-listbox";
    var wrapper = document.createElement("div");
    wrapper.className = "autocomplete";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggested tags");
    list.hidden = true;
    wrapper.appendChild(list);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var active = -1;
    var timer = null;
    var request = 0;

    function options() { return list.querySelectorAll("[role=option]"); }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var items = options();
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i++) {
        items[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function pick(name) {
      var parts = input.value.split(",");
      parts[parts.length - 1] = " " + name;
      input.value = parts.map(function (p) { return p.trim(); }).filter(Boolean).join(", ") + ", ";
      close();
      input.focus();
      liveRegion().textContent = name + " added.";
    }

    function show(tags) {
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!tags.length) { close(); liveRegion().textContent = "No suggestions."; return; }
      tags.forEach(function (tag, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.className = "autocomplete-option";
        item.textContent = tag.name;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
          pick(tag.name);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      liveRegion().textContent = tags.length + " suggestion" + (tags.length === 1 ? "" : "s") +
        ". Use the up and down arrow keys to choose, Enter to pick.";
    }

    function lookUp() {
      var parts = input.value.split(",");
      var term = parts[parts.length - 1].trim();
      if (term.length < 2) { close(); return; }
      var mine = ++request;
      var url = input.dataset.tagAutocomplete + "?term=" + encodeURIComponent(term);
      if (input.dataset.tagType) { url += "&type=" + encodeURIComponent(input.dataset.tagType); }
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { tags: [] }; })
        .then(function (data) { if (mine === request) { show(data.tags || []); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        if (open) { highlight(active + 1); } else { lookUp(); }
        event.preventDefault();
      } else if (event.key === "ArrowUp" && open) {
        highlight(active - 1);
        event.preventDefault();
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault(); // pick the tag, do not submit the form
        pick(options()[active].textContent);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("input[data-tag-autocomplete]").forEach(attach);

  // "N characters left" under the summary and notes: the text a reader sees (markup is not
  // counted, as on the server). DOMParser builds an inert document: nothing in it runs.
  function visibleLength(value) {
    var doc = new DOMParser().parseFromString(value, "text/html");
    return (doc.body.textContent || "").trim().length;
  }
  document.querySelectorAll("textarea[data-visible-max]").forEach(function (area) {
    var max = parseInt(area.dataset.visibleMax, 10);
    var counter = document.createElement("p");
    counter.className = "help char-count";
    counter.id = area.id + "-count";
    area.parentNode.insertBefore(counter, area.nextSibling);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function update() {
      var left = max - visibleLength(area.value);
      counter.textContent = left >= 0
        ? left.toLocaleString() + " characters left"
        : (-left).toLocaleString() + " characters too many";
      counter.classList.toggle("form-errors", left < 0);
    }
    area.addEventListener("input", update);
    update();
  });

  // After a refused submission, take the keyboard to the list of problems.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
