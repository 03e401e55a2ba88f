// Workshop notes: the same no-lost-input promise as evidence notes. Typing is kept in this
// browser at once and sent after a pause; offline it stays here and is sent when the
// connection returns or the page is opened again. Without JavaScript the form saves on submit.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-notes]");
  if (!form || !window.localStorage || !window.fetch) return;
  var url = form.getAttribute("data-autosave-notes");
  var key = "pr-notes:" + form.getAttribute("data-draft-key");
  var box = form.querySelector("[data-save-state]");
  var notes = form.querySelector("textarea[name=notes]");
  var version = form.querySelector("input[name=lock_version]");
  var base = form.querySelector("input[name=base]");
  var conflictBox = document.querySelector("[data-conflict-live]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timer = null;
  var sending = false;
  var again = false;

  function state(s, text) { box.setAttribute("data-state", s); box.textContent = text; }
  function now() {
    var d = new Date();
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  function send() {
    var draft = localStorage.getItem(key);
    if (draft === null) return;
    if (sending) { again = true; return; }
    sending = true;
    state("saving", "Saving…");
    var body = new FormData();
    body.append("notes", draft);
    body.append("stage", form.querySelector("input[name=stage]").value);
    body.append("lock_version", version.value);
    body.append("base", base ? base.value : "");
    fetch(url, {method: "POST", body: body, credentials: "same-origin",
                headers: {"X-CSRFToken": csrf, "X-Autosave": "1"}})
      .then(function (r) { return r.json().then(function (d) { return {s: r.status, d: d}; }); })
      .then(function (res) {
        sending = false;
        if (res.s === 200 && res.d.ok) {
          version.value = res.d.version;
          if (base) base.value = res.d.base;
          if (conflictBox) conflictBox.hidden = true;
          if (localStorage.getItem(key) === draft) localStorage.removeItem(key);
          state("saved", "Saved at " + now());
        } else if (res.s === 409 && res.d.conflict) {
          // Someone else saved other notes: keep ours in the box, show theirs beside it, and
          // count the next save from theirs, so combining the two and typing saves again.
          version.value = res.d.version;
          if (base) base.value = res.d.base;
          if (conflictBox) {
            conflictBox.querySelector("[data-conflict-text]").textContent = res.d.current;
            conflictBox.hidden = false;
          }
          state("error", res.d.message);
        } else {
          state("error", (res.d && res.d.message) || "Not saved. It is kept on this device.");
        }
        if (again) { again = false; send(); }
      })
      .catch(function () {
        sending = false;
        state("offline", "Offline: kept on this device, and sent when the connection returns.");
      });
  }

  var kept = localStorage.getItem(key);
  if (kept !== null && kept !== notes.value) {
    notes.value = kept;
    state("unsaved", "Restored from this device: not sent yet.");
    if (navigator.onLine) send();
  }
  notes.addEventListener("input", function () {
    localStorage.setItem(key, notes.value);
    state(navigator.onLine ? "unsaved" : "offline", navigator.onLine ?
      "Unsaved changes: kept on this device." :
      "Offline: kept on this device, and sent when the connection returns.");
    clearTimeout(timer);
    timer = setTimeout(send, 1500);
  });
  form.addEventListener("submit", function () { localStorage.removeItem(key); });
  window.addEventListener("online", send);
})();
