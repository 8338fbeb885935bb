// 409, 422 and 429 answers are swapped in by htmx's responseHandling, set
// once in templates/base.html; this file only moves the focus.

// Focus after inline edits (WCAG 2.4.3). When an htmx swap removes the
// element that had the focus (the "Edit" link, a form's "Save" or "Cancel"),
// the browser drops focus to the page's start. Put it where the person is:
// on a field that has an error; on the first field of a form just opened;
// after saving or cancelling, back on the link that opened the form, or on
// the field they were in if it came back; else on the swapped row itself.
(function () {
  "use strict";
  var FIELDS =
    "input:not([type=hidden]):not([disabled]):not([tabindex='-1']), select:not([disabled]), textarea:not([disabled])";
  var pending = null;
  var openers = {}; // region id -> href of the link that opened its form

  function tryFocus(element) {
    if (!element || !element.isConnected) return false;
    element.focus();
    return document.activeElement === element;
  }

  function fieldOf(element) {
    if (!element) return null;
    if (element.id) return element.id;
    var form = element.form || (element.closest && element.closest("form"));
    var field = form && form.querySelector(FIELDS);
    return field && field.id ? field.id : null;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var config = detail.requestConfig || {};
    var trigger = config.elt; // the link or form that made the request
    pending = {
      targetId: detail.target && detail.target.id,
      activeId: fieldOf(document.activeElement),
      // A link outside a form that fetches something ("Edit", "Add") opens a
      // form; "Cancel" sits inside the form it closes.
      opened:
        String(config.verb || "").toLowerCase() === "get" && !(trigger && trigger.closest && trigger.closest("form")),
      href: trigger && trigger.getAttribute ? trigger.getAttribute("href") : null,
    };
  });

  document.addEventListener("htmx:afterSettle", function () {
    var state = pending;
    pending = null;
    if (!state) return;
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return; // focus was not lost
    var region = state.targetId ? document.getElementById(state.targetId) : null;
    if (!region) return;
    if (tryFocus(region.querySelector("[aria-invalid='true']"))) return;
    if (state.opened) {
      if (state.href) openers[state.targetId] = state.href;
      if (tryFocus(region.querySelector(FIELDS))) return;
    }
    var opener = openers[state.targetId];
    if (!state.opened && opener) {
      var links = region.querySelectorAll("a[href]");
      for (var i = 0; i < links.length; i++) {
        if (links[i].getAttribute("href") === opener && tryFocus(links[i])) return;
      }
    }
    if (state.activeId && tryFocus(document.getElementById(state.activeId))) return;
    if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "-1");
    tryFocus(region);
  });
})();

// Tables wider than the screen scroll inside a .table-wrap: let keyboard
// users reach and scroll them (WCAG 2.1.1) where a template has not already
// made the wrapper a focusable, named region.
(function () {
  "use strict";
  function label(wrap) {
    var caption = wrap.querySelector("caption");
    if (!caption) return;
    if (!caption.id) caption.id = "caption-" + Math.random().toString(36).slice(2);
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-labelledby", caption.id);
    wrap.setAttribute("tabindex", "0");
  }
  function scan(root) {
    var wraps = (root || document).querySelectorAll(".table-wrap:not([tabindex])");
    for (var i = 0; i < wraps.length; i++) {
      if (wraps[i].scrollWidth > wraps[i].clientWidth) label(wraps[i]);
    }
  }
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:afterSettle", function (event) { scan(event.detail.elt); });
})();
