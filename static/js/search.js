/* Search behaviour (no inline handlers: strict CSP).
   - Header box #site-search: top matches in #search-suggestions as you type (listbox with
     aria-activedescendant); ↓/↑ move, Enter opens the active match (or searches), Escape closes.
   - Search page #search-q: ↓/↑ move through results [data-search-result], Enter opens. */
(function () {
  "use strict";

  var box = document.getElementById("site-search");
  var panel = document.getElementById("search-suggestions");
  var timer = null;
  var lastQuery = null;
  var controller = null;

  function options(container) {
    return container ? Array.prototype.slice.call(container.querySelectorAll("[data-search-result]")) : [];
  }

  function setActive(input, container, index) {
    var links = options(container);
    links.forEach(function (link, i) {
      var holder = link.closest("[role=option]") || link.closest("li") || link;
      var on = i === index;
      holder.classList.toggle("is-active", on);
      holder.style.outline = on ? "2px solid currentColor" : "";
      holder.style.outlineOffset = on ? "2px" : "";
      if (holder.getAttribute("role") === "option") holder.setAttribute("aria-selected", on ? "true" : "false");
      if (on) {
        if (!holder.id) holder.id = "search-active-" + i;
        input.setAttribute("aria-activedescendant", holder.id);
        holder.scrollIntoView({ block: "nearest" });
      }
    });
    if (index < 0) input.removeAttribute("aria-activedescendant");
    input.dataset.active = String(index);
  }

  function keyNav(input, getContainer) {
    input.addEventListener("keydown", function (event) {
      var container = getContainer();
      var links = options(container);
      var active = parseInt(input.dataset.active || "-1", 10);
      if (event.key === "ArrowDown" && links.length) {
        event.preventDefault();
        setActive(input, container, Math.min(links.length - 1, active + 1));
      } else if (event.key === "ArrowUp" && links.length) {
        event.preventDefault();
        setActive(input, container, Math.max(-1, active - 1));
      } else if (event.key === "Enter" && active >= 0 && links[active]) {
        event.preventDefault();
        window.location.href = links[active].href;
      }
    });
    input.addEventListener("input", function () { input.dataset.active = "-1"; });
  }

  function closePanel() {
    if (!panel) return;
    panel.innerHTML = "";
    if (box) {
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
      box.dataset.active = "-1";
    }
  }

  function fetchSuggestions() {
    var q = box.value.trim();
    if (q === lastQuery) return;
    lastQuery = q;
    if (!q) { closePanel(); return; }
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch("/search/suggest/?q=" + encodeURIComponent(box.value), {
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    }).then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        if (box.value.trim() !== q) return;
        panel.innerHTML = html;
        box.dataset.active = "-1";
        box.setAttribute("aria-expanded", html.trim() ? "true" : "false");
      })
      .catch(function () { /* aborted or offline: keep the form working */ });
  }

  if (box && panel) {
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", "search-suggestions");
    box.setAttribute("aria-expanded", "false");
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { closePanel(); }
    });
    keyNav(box, function () { return panel; });
    document.addEventListener("click", function (event) {
      if (!panel.contains(event.target) && event.target !== box) closePanel();
    });
  }

  var pageInput = document.getElementById("search-q");
  if (pageInput) {
    keyNav(pageInput, function () { return document.getElementById("search-results"); });
  }
})();
