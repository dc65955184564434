/* kb site script: no inline handlers (strict CSP), so behaviour hangs off data- attributes.
   - "/" focuses the site search unless the user is typing somewhere.
   - [data-copy-target] buttons copy the text of the element they name (macros).
   - [data-confirm] submit buttons ask before a destructive action.
   - Escape closes the open user menu. */
(function () {
  "use strict";

  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(document.activeElement)) {
      var search = document.getElementById("site-search");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    }
    if (event.key === "Escape") {
      var menu = document.querySelector("details.user-menu[open]");
      if (menu) {
        menu.removeAttribute("open");
        menu.querySelector("summary").focus();
      }
    }
  });

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Fallback for plain-HTTP intranets: a temporary textarea and execCommand.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      try {
        document.execCommand("copy") ? resolve() : reject(new Error("copy refused"));
      } catch (err) {
        reject(err);
      } finally {
        document.body.removeChild(area);
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (button) {
      var source = document.getElementById(button.getAttribute("data-copy-target"));
      var status = document.getElementById(button.getAttribute("data-copy-status") || "");
      if (!source) return;
      var text = source.value !== undefined && source.tagName === "TEXTAREA" ? source.value : source.innerText;
      copyText(text.trim()).then(
        function () { if (status) status.textContent = "Copied to clipboard."; },
        function () { if (status) status.textContent = "Could not copy: select the text and copy it by hand."; }
      );
      return;
    }
    var confirmButton = event.target.closest("[data-confirm]");
    if (confirmButton && !window.confirm(confirmButton.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // Close the user menu when clicking elsewhere.
  document.addEventListener("click", function (event) {
    var menu = document.querySelector("details.user-menu[open]");
    if (menu && !menu.contains(event.target)) menu.removeAttribute("open");
  });
})();
