/* Kinerja Sibolga: the only script of the staff pages (no inline scripts; CSP). */
(function () {
  "use strict";
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  // Every htmx request carries the CSRF token in the X-CSRFToken header.
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });
  // htmx does not swap 4xx answers by default; our 422 answers carry the form with
  // its errors, so swap them, and announce errors to screen readers.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 422 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // Confirmation for destructive buttons: data-confirm="…" (no inline handlers).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);
  // Print buttons.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
/* Phone menu: the "Menu" button shows and hides the main menu on narrow screens.
   Without this script the menu is simply always shown (progressive enhancement). */
(function () {
  "use strict";
  var button = document.querySelector(".nav-toggle");
  var header = document.querySelector(".site-header");
  if (!button || !header) {
    return;
  }
  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("nav-closed", !open);
  }
  button.hidden = false;
  setOpen(false);
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  // Escape closes the open menu and returns focus to the button.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true"
        && window.getComputedStyle(button).display !== "none") {
      setOpen(false);
      button.focus();
    }
  });
})();
/* Wide tables: a .table-wrap whose table is wider than the screen becomes a named, focusable
   scroll region ("…, dapat digeser"), so it can be scrolled by keyboard and announced. */
(function () {
  "use strict";
  function nameOf(wrap) {
    var caption = wrap.querySelector("caption");
    var heading = null;
    if (!caption) {
      var section = wrap.closest("section, .card, main");
      heading = section ? section.querySelector("h1, h2, h3") : null;
    }
    var source = caption || heading;
    var text = source ? source.textContent.replace(/\s+/g, " ").trim() : "";
    return (text ? "Tabel " + text : "Tabel") + ", dapat digeser";
  }
  function mark(root) {
    var wraps = (root || document).querySelectorAll(".table-wrap");
    Array.prototype.forEach.call(wraps, function (wrap) {
      var auto = wrap.hasAttribute("data-auto-region");
      if (wrap.hasAttribute("role") && !auto) {
        return;
      }
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      if (wide && !auto) {
        wrap.setAttribute("role", "region");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("aria-label", nameOf(wrap));
        wrap.setAttribute("data-auto-region", "");
      } else if (!wide && auto) {
        wrap.removeAttribute("role");
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("aria-label");
        wrap.removeAttribute("data-auto-region");
      }
    });
  }
  var pending = null;
  function later() {
    if (pending) {
      window.clearTimeout(pending);
    }
    pending = window.setTimeout(function () { pending = null; mark(); }, 100);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { mark(); });
  } else {
    mark();
  }
  window.addEventListener("resize", later);
  document.addEventListener("htmx:afterSettle", function () { mark(); });
})();
