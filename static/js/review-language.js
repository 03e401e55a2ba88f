// Warns (never blocks) when a text box uses inspection-grade words, with a suggestion in
// enquiry language. The word list comes from the server (apps/reviews/language.py).
(function () {
  "use strict";
  var source = document.getElementById("judgement-words");
  if (!source) return;
  var words = JSON.parse(source.textContent);
  var keys = Object.keys(words).sort(function (a, b) { return b.length - a.length; });
  var pattern = new RegExp("\\b(" + keys.map(function (k) {
    return k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+");
  }).join("|") + ")\\b", "gi");

  // A form, or one section of a form that holds several.
  function check(form) {
    var box = form.querySelector("[data-language-warning]");
    if (!box) return;
    var found = {};
    form.querySelectorAll("textarea").forEach(function (t) {
      (t.value.match(pattern) || []).forEach(function (m) {
        found[m.toLowerCase().replace(/\s+/g, " ")] = m;
      });
    });
    var list = Object.keys(found);
    if (!list.length) { box.hidden = true; box.textContent = ""; return; }
    box.hidden = false;
    box.textContent = "";
    var p = document.createElement("p");
    p.className = "govuk-body govuk-!-margin-bottom-1";
    p.textContent = "Peer review describes and asks; it does not grade. Consider rewording:";
    box.appendChild(p);
    var ul = document.createElement("ul");
    ul.className = "govuk-list govuk-list--bullet govuk-body-s";
    list.forEach(function (k) {
      var li = document.createElement("li");
      li.textContent = "“" + found[k] + "”: " + words[k];
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  document.querySelectorAll("[data-language-check]").forEach(function (form) {
    var timer;
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { check(form); }, 400);
    });
    check(form);
  });
})();
