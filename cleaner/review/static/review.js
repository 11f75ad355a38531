// cleaner review: click a line, choose keep or "remove as FAMILY"; the mark goes to POST /api/marks.
(function () {
  "use strict";
  var lines = document.getElementById("lines");
  var menu = document.getElementById("menu");
  var status = document.getElementById("status");
  if (!lines || !menu || lines.dataset.markable !== "yes") return;
  var current = null;

  function say(text, bad) {
    status.textContent = text;
    status.className = bad ? "bad" : "";
  }

  function showMenu(line) {
    current = line;
    line.after(menu);
    menu.hidden = false;
  }

  function applyMark(line, label) {
    var removed = line.dataset.rule !== "";
    line.classList.add("marked");
    line.classList.toggle("corrected", (label === "keep") === removed);
    line.classList.toggle("confirmed", (label === "keep") !== removed);
    var badge = line.querySelector(".mark");
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "mark";
      line.appendChild(badge);
    }
    badge.dataset.label = label;
    badge.textContent = label === "keep" ? "keep" : "remove as " + label;
  }

  lines.addEventListener("click", function (ev) {
    var line = ev.target.closest(".line");
    if (!line || line.classList.contains("blank")) return;
    if (current === line && !menu.hidden) { menu.hidden = true; current = null; return; }
    showMenu(line);
  });

  menu.addEventListener("click", function (ev) {
    var button = ev.target.closest("button");
    if (!button || !current) return;
    var line = current;
    var label = button.dataset.label;
    var body = JSON.stringify({ id: lines.dataset.id, line: parseInt(line.dataset.line, 10), label: label });
    fetch("/api/marks", { method: "POST", headers: { "Content-Type": "application/json" }, body: body })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (res) {
        if (!res.ok) { say("not stored: " + res.body.error, true); return; }
        applyMark(line, label);
        var counter = document.getElementById("reviewed");
        counter.dataset.count = res.body.reviewed;
        counter.textContent = res.body.reviewed + " document(s) reviewed";
        say("line " + line.dataset.line + " marked " + label);
        menu.hidden = true;
        current = null;
      })
      .catch(function (err) { say("not stored: " + err, true); });
  });
})();
