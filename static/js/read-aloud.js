// "Read this page aloud": reads the main content with the browser's own speech synthesis
// (window.speechSynthesis); nothing is sent to any other service. The buttons in
// templates/base.html stay hidden where the browser cannot speak, or without JavaScript.
// The main button's label says what it will do next: read, pause or carry on.
(function () {
  "use strict";
  var box = document.querySelector("[data-read-aloud]");
  var synth = window.speechSynthesis;
  if (!box || !synth || typeof window.SpeechSynthesisUtterance !== "function") return;
  var toggle = box.querySelector("[data-read-aloud-toggle]");
  var stop = box.querySelector("[data-read-aloud-stop]");
  var status = box.querySelector("[data-read-aloud-status]");
  var main = document.getElementById("main-content");
  if (!toggle || !stop || !main) return;
  var state = "idle"; // idle, speaking, paused
  var run = 0; // a new reading makes the old one's "end" events stale

  // The words come from the page (data-say-*), in the page's language; English otherwise.
  function say(name, english) { return box.getAttribute("data-say-" + name) || english; }
  var LABELS = {idle: say("idle", "Read this page aloud"), speaking: say("pause", "Pause reading"),
                paused: say("resume", "Carry on reading")};

  function show(next, said) {
    state = next;
    toggle.textContent = LABELS[next];
    stop.hidden = next === "idle";
    if (said) status.textContent = said;
  }

  // Short pieces: some browsers stop a long utterance part-way through.
  function pieces(text) {
    var out = [];
    text.split(/\n+/).forEach(function (line) {
      line = line.replace(/\s+/g, " ").trim();
      if (!line) return;
      var current = "";
      (line.match(/[^.!?]+[.!?]*\s*/g) || [line]).forEach(function (sentence) {
        if (current && current.length + sentence.length > 200) {
          out.push(current.trim());
          current = "";
        }
        current += sentence;
      });
      if (current.trim()) out.push(current.trim());
    });
    return out;
  }

  function start() {
    synth.cancel();
    run += 1;
    var mine = run;
    var list = pieces(main.innerText || main.textContent || "");
    if (!list.length) { show("idle", "There is nothing to read on this page."); return; }
    var lang = document.documentElement.lang || "en-GB";
    list.forEach(function (text, i) {
      var u = new window.SpeechSynthesisUtterance(text);
      u.lang = lang;
      if (i === list.length - 1) {
        u.onend = function () { if (mine === run) show("idle", "Finished reading."); };
      }
      u.onerror = function (e) {
        if (mine === run && e.error !== "interrupted" && e.error !== "canceled") {
          show("idle", say("failed", "Your browser could not read the page aloud."));
        }
      };
      synth.speak(u);
    });
    show("speaking", say("reading", "Reading the page aloud."));
  }

  toggle.addEventListener("click", function () {
    if (state === "idle") {
      start();
    } else if (state === "speaking") {
      synth.pause();
      show("paused", say("paused", "Reading paused."));
    } else {
      synth.resume();
      show("speaking", say("again", "Reading again."));
    }
  });

  stop.addEventListener("click", function () {
    run += 1;
    synth.cancel();
    show("idle", say("stopped", "Reading stopped."));
    toggle.focus();
  });

  // Leaving the page stops the voice (otherwise it carries on over the next page).
  window.addEventListener("pagehide", function () { run += 1; synth.cancel(); });
  synth.cancel();
  box.hidden = false;
})();
