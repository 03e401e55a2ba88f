// Evidence notes on a tablet with patchy Wi-Fi: typed text is never lost.
//
// Every keystroke is kept in this browser (localStorage) at once; after a pause the note is
// sent to the server (autosave). With no connection it stays on the device, marked unsent,
// and is re-sent when the connection returns or the page is next opened. The server keys
// notes by the browser's client id, so sending twice saves once. The page works without
// JavaScript: the form then saves when submitted.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.localStorage || !window.fetch) return;
  var url = form.getAttribute("data-autosave");
  var reviewId = form.getAttribute("data-review");
  // Drafts are kept per person and review, so on a shared tablet one reviewer's unsent
  // notes are never sent under another's name.
  var prefix = "pr-evidence:" + form.getAttribute("data-user") + ":" + reviewId + ":";
  var stateBox = form.querySelector("[data-save-state]");
  var pendingBox = document.querySelector("[data-pending]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var field = function (name) { return form.querySelector("[name=" + name + "]"); };
  var timer = null;
  var sending = false;
  var waiting = [];  // client ids to send once the send in progress has finished

  function setState(state, text) {
    stateBox.setAttribute("data-state", state);
    stateBox.textContent = text;
  }
  function timeNow() {
    var d = new Date();
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }
  function snapshot() {
    return {
      client_id: field("client_id").value,
      lock_version: field("lock_version").value,
      line: field("line") ? field("line").value : "",
      activity: field("activity") ? field("activity").value : "",
      text: field("text").value,
      tags: field("tags") ? field("tags").value : "",
      dirty: true,
      at: Date.now()
    };
  }
  function keep(draft) { localStorage.setItem(prefix + draft.client_id, JSON.stringify(draft)); }
  function drafts() {
    var out = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && key.indexOf(prefix) === 0) {
        try { out.push(JSON.parse(localStorage.getItem(key))); } catch (e) { /* ignore */ }
      }
    }
    return out;
  }
  function forget(clientId) { localStorage.removeItem(prefix + clientId); }
  function showPending() {
    if (!pendingBox) return;
    var n = drafts().filter(function (d) {
      return d.dirty && d.client_id !== field("client_id").value;
    }).length;
    pendingBox.hidden = n === 0;
    pendingBox.textContent = n ? n + " note" + (n === 1 ? "" : "s") +
      " kept on this device, waiting to be sent." : "";
  }

  function send(draft) {
    if (!draft.text || !draft.text.trim()) return Promise.resolve(null);
    var body = new FormData();
    ["client_id", "lock_version", "line", "activity", "text", "tags"].forEach(function (k) {
      body.append(k, draft[k] == null ? "" : draft[k]);
    });
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": csrf, "X-Autosave": "1"}
    }).then(function (response) {
      return response.json().then(function (data) { return {status: response.status, data: data}; });
    });
  }

  function isCurrent(draft) { return draft.client_id === field("client_id").value; }

  function next() {
    while (waiting.length) {
      var stored = JSON.parse(localStorage.getItem(prefix + waiting.shift()) || "null");
      if (stored && stored.dirty) { flush(stored); return; }
    }
  }

  function flush(draft) {
    if (sending) {
      if (waiting.indexOf(draft.client_id) === -1) waiting.push(draft.client_id);
      return;
    }
    sending = true;
    if (isCurrent(draft)) setState("saving", "Saving…");
    send(draft).then(function (result) {
      sending = false;
      if (!result) return;
      if (result.status === 200 && result.data.ok) {
        var stored = JSON.parse(localStorage.getItem(prefix + draft.client_id) || "null");
        if (stored && stored.at > draft.at) {
          // More was typed while this was being sent: keep it and send again.
          stored.lock_version = result.data.version;
          keep(stored);
          schedule();
        } else {
          forget(draft.client_id);
        }
        if (isCurrent(draft)) {
          field("lock_version").value = result.data.version;
          setState("saved", "Saved at " + timeNow());
        }
        refreshList();
      } else if (result.status === 409) {
        if (isCurrent(draft)) setState("error", result.data.message);
      } else if (isCurrent(draft)) {
        var errors = result.data.errors || {};
        var first = Object.keys(errors).map(function (k) { return errors[k][0].message; })[0];
        setState("error", "Not saved: " + (first || "please check the note") +
          ". It is kept on this device.");
      }
      showPending();
      next();
    }).catch(function () {
      sending = false;
      waiting = [];  // no connection: everything is re-sent when it returns
      if (isCurrent(draft)) {
        setState("offline", "Offline: kept on this device, and sent when the connection " +
          "returns.");
      }
      showPending();
    });
  }

  // The list of notes beside the form follows what is saved (its count included), read
  // from the page itself a moment after the last save.
  var listTimer = null;
  function refreshList() {
    var list = document.querySelector("[data-notes-list]");
    if (!list) return;
    clearTimeout(listTimer);
    listTimer = setTimeout(function () {
      fetch(window.location.href, {credentials: "same-origin"}).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .querySelector("[data-notes-list]");
        if (fresh) list.innerHTML = fresh.innerHTML;
      }).catch(function () { /* offline: the list catches up after the next save */ });
    }, 400);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var stored = JSON.parse(localStorage.getItem(prefix + field("client_id").value) || "null");
      if (stored && stored.dirty) flush(stored);
    }, 1500);
  }

  function resendAll() {
    drafts().filter(function (d) { return d.dirty; }).forEach(function (d) { flush(d); });
  }

  // Notes the server already shows (saved by a full submit) need no local copy.
  document.querySelectorAll("[data-client-id]").forEach(function (el) {
    var id = el.getAttribute("data-client-id");
    var stored = JSON.parse(localStorage.getItem(prefix + id) || "null");
    if (stored && stored.submitted) forget(id);
  });

  // Restore an unsent draft of the note being edited.
  var own = JSON.parse(localStorage.getItem(prefix + field("client_id").value) || "null");
  if (own && own.dirty && own.text && own.text !== field("text").value) {
    field("text").value = own.text;
    if (field("tags")) field("tags").value = own.tags;
    if (field("line")) field("line").value = own.line;
    if (field("activity")) field("activity").value = own.activity;
    setState("unsaved", "Restored from this device: not sent yet.");
  }

  form.addEventListener("input", function (event) {
    if (event.target.type === "file") return;
    keep(snapshot());
    setState(navigator.onLine ? "unsaved" : "offline", navigator.onLine ?
      "Unsaved changes: kept on this device." :
      "Offline: kept on this device, and sent when the connection returns.");
    schedule();
  });
  form.addEventListener("change", function (event) {
    // Typing is caught by "input"; this catches a changed choice of line or activity, which
    // must reach the server even when the text was sent already (else the note stays filed
    // under the key question). A text box losing focus is not a change to send again.
    if (event.target.tagName !== "SELECT" || !field("text").value.trim()) return;
    keep(snapshot());
    setState("unsaved", "Unsaved changes: kept on this device.");
    schedule();
  });
  form.addEventListener("submit", function () {
    var d = snapshot();
    d.submitted = true;
    keep(d);
  });
  window.addEventListener("online", function () {
    setState("saving", "Back online: sending notes kept on this device…");
    resendAll();
  });
  window.addEventListener("offline", function () {
    setState("offline", "Offline: notes are kept on this device.");
  });

  var newNote = form.querySelector("[data-new-note]");
  if (newNote) {
    newNote.hidden = false;
    newNote.addEventListener("click", function () {
      var id = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() :
        "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
          return (c ^ (Math.random() * 16 >> (c / 4))).toString(16);
        });
      field("client_id").value = id;
      field("lock_version").value = "";
      field("text").value = "";
      if (field("tags")) field("tags").value = "";
      setState("idle", "New note: not saved yet");
      field("text").focus();
    });
  }

  showPending();
  if (navigator.onLine) resendAll();
})();
