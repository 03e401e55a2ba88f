// Shared school computers: the server signs a person out after a period without activity
// (apps/accounts/sessions.py). This script warns before that happens, with a "Stay signed in"
// button, and keeps what was typed on this device so that it is put back on the next visit
// to the same page. Forms that keep their own drafts (evidence and workshop notes,
// data-autosave*) are left to them. Without JavaScript the server limit still applies.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var idle = Number(script.getAttribute("data-idle-seconds")) * 1000;
  var warn = Math.min(Number(script.getAttribute("data-warn-seconds")) * 1000, idle / 2);
  var sessionUrl = script.getAttribute("data-session-url");
  var storageKey = "pr-unsaved:" + script.getAttribute("data-user") + ":" + location.pathname;
  var deadline = Date.now() + Number(script.getAttribute("data-remaining-seconds")) * 1000;
  var timer = null;
  var ticker = null;
  var dialog = null;
  var returnFocus = null;

  // ---- Text typed on this page, kept per person, page and field -------------------------
  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function fields() {
    var out = [];
    Array.prototype.forEach.call(document.forms, function (form, formIndex) {
      if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
      if (form.hasAttribute("data-autosave") || form.hasAttribute("data-autosave-notes")) return;
      var seen = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        var textual = el.tagName === "TEXTAREA" || (el.tagName === "INPUT" &&
          /^(text|email|search|tel|url|number|date)$/.test(el.type));
        if (!textual || !el.name || el.readOnly || el.disabled) return;
        seen[el.name] = (seen[el.name] || 0) + 1;
        out.push({key: formIndex + ":" + el.name + ":" + seen[el.name], el: el});
      });
    });
    return out;
  }

  function keepTyping() {
    var store = storage();
    if (!store) return;
    var typed = {};
    var any = false;
    fields().forEach(function (f) {
      if (f.el.value !== f.el.defaultValue) { typed[f.key] = f.el.value; any = true; }
    });
    if (any) store.setItem(storageKey, JSON.stringify(typed));
  }

  function forgetTyping() {
    var store = storage();
    if (store) store.removeItem(storageKey);
  }

  function restoreTyping() {
    var store = storage();
    if (!store) return;
    var kept;
    try { kept = JSON.parse(store.getItem(storageKey) || "null"); } catch (e) { kept = null; }
    if (!kept) return;
    var restored = [];
    fields().forEach(function (f) {
      var value = kept[f.key];
      if (typeof value === "string" && value !== f.el.value &&
          f.el.value === f.el.defaultValue) {
        f.el.value = value;
        f.el.dispatchEvent(new Event("input", {bubbles: true}));
        restored.push(f.el);
      }
    });
    if (!restored.length) { forgetTyping(); return; }
    showRestoredNotice(restored);
  }

  function showRestoredNotice(restored) {
    var main = document.getElementById("main-content");
    if (!main) return;
    var notice = document.createElement("div");
    notice.className = "govuk-notification-banner";
    notice.setAttribute("role", "region");
    notice.setAttribute("aria-labelledby", "pr-restored-title");
    notice.setAttribute("data-restored-notice", "");
    notice.innerHTML =
      '<div class="govuk-notification-banner__header">' +
      '<h2 class="govuk-notification-banner__title" id="pr-restored-title">Important</h2></div>' +
      '<div class="govuk-notification-banner__content">' +
      '<p class="govuk-notification-banner__heading">We restored text you had not saved</p>' +
      '<p class="govuk-body">It was kept on this device when you were signed out. Check it, ' +
      'then save the form.</p>' +
      '<button type="button" class="govuk-button govuk-button--secondary ' +
      'govuk-!-margin-bottom-0">Discard the restored text</button></div>';
    notice.querySelector("button").addEventListener("click", function () {
      restored.forEach(function (el) {
        el.value = el.defaultValue;
        el.dispatchEvent(new Event("input", {bubbles: true}));
      });
      forgetTyping();
      notice.parentNode.removeChild(notice);
      main.setAttribute("tabindex", "-1");
      main.focus();
    });
    main.insertBefore(notice, main.firstChild);
  }

  // ---- The warning ---------------------------------------------------------------------
  function inWords(ms) {
    var seconds = Math.max(0, Math.round(ms / 1000));
    if (seconds >= 90) return Math.round(seconds / 60) + " minutes";
    if (seconds >= 60) return "1 minute";
    var rounded = seconds > 10 ? Math.ceil(seconds / 10) * 10 : seconds;
    return rounded + (rounded === 1 ? " second" : " seconds");
  }

  function buildDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "pr-idle-dialog";
    dialog.setAttribute("aria-labelledby", "pr-idle-title");
    dialog.setAttribute("aria-describedby", "pr-idle-time pr-idle-kept");
    dialog.innerHTML =
      '<h2 class="govuk-heading-m" id="pr-idle-title">You are about to be signed out</h2>' +
      '<p class="govuk-body" id="pr-idle-time" aria-live="polite"></p>' +
      '<p class="govuk-body" id="pr-idle-kept">Anything you were typing is kept on this ' +
      'device and put back when you sign in again.</p>' +
      '<button type="button" class="govuk-button govuk-!-margin-bottom-0" autofocus>' +
      'Stay signed in</button>';
    dialog.querySelector("button").addEventListener("click", staySignedIn);
    // Escape means the person is here: the same as "Stay signed in".
    dialog.addEventListener("cancel", function (e) { e.preventDefault(); staySignedIn(); });
    document.body.appendChild(dialog);
  }

  function setTimeLeft() {
    var text = "For your security, you will be signed out in " +
      inWords(deadline - Date.now()) + " because nothing has happened on this page.";
    var box = dialog.querySelector("#pr-idle-time");
    if (box.textContent !== text) box.textContent = text;
  }

  function showWarning() {
    keepTyping();
    if (!dialog) buildDialog();
    setTimeLeft();
    if (!dialog.open) {
      returnFocus = document.activeElement;
      if (dialog.showModal) dialog.showModal(); else dialog.setAttribute("open", "");
      dialog.querySelector("button").focus();
    }
    clearInterval(ticker);
    ticker = setInterval(function () {
      if (Date.now() >= deadline + 1000) { clearInterval(ticker); check(); } else setTimeLeft();
    }, 1000);
  }

  function hideWarning() {
    clearInterval(ticker);
    if (dialog && dialog.open) {
      if (dialog.close) dialog.close(); else dialog.removeAttribute("open");
      if (returnFocus && returnFocus.focus) returnFocus.focus();
    }
  }

  function signedOut() {
    keepTyping();
    clearTimeout(timer);
    clearInterval(ticker);
    // The server has ended the session: opening the page again goes to the sign-in page,
    // which says why and returns here afterwards.
    location.assign(location.pathname + location.search);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(1000, deadline - warn - Date.now()));
  }

  function answer(response) {
    if (response.status === 401) { signedOut(); return; }
    return response.json().then(function (data) {
      deadline = Date.now() + data.remaining * 1000;
      if (deadline - Date.now() > warn + 1000) { hideWarning(); schedule(); } else showWarning();
    });
  }

  function offline() {
    // No answer from the server: go by this page's own estimate.
    if (Date.now() >= deadline) signedOut(); else if (deadline - Date.now() <= warn) showWarning();
    else schedule();
  }

  // Activity in another tab moves the deadline on, so ask the server before warning.
  function check() {
    fetch(sessionUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(answer).catch(offline);
  }

  function staySignedIn() {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(sessionUrl, {method: "POST", credentials: "same-origin",
                       headers: {"Accept": "application/json",
                                 "X-CSRFToken": token ? token.value : ""}})
      .then(function (response) {
        if (response.ok) forgetTyping();
        return answer(response);
      })
      .catch(offline);
  }

  // A form sent after the limit goes to the sign-in page: keep its text first.
  document.addEventListener("submit", function () {
    if (Date.now() >= deadline - 5000) keepTyping(); else forgetTyping();
  }, true);
  // Other scripts' requests (autosave, htmx) count as activity on the server too.
  document.addEventListener("htmx:afterRequest", function () { deadline = Date.now() + idle; });

  restoreTyping();
  schedule();
})();
