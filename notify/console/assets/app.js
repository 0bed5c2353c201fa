// Herald console: the live segment counter on the Send page and the
// polling of a conversation. No inline
// script anywhere (the Content-Security-Policy forbids it); this file is
// served by the console itself.
(function () {
  "use strict";

  function csrfToken() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }

  function setText(id, v) {
    var el = document.getElementById(id);
    if (el) el.textContent = String(v);
  }

  function initSend() {
    var body = document.getElementById("body");
    if (!body) return;
    var counter = document.getElementById("counter");
    var ack = document.getElementById("ack");
    var ackLabel = document.getElementById("ack-label");
    var ucs2 = document.getElementById("ucs2");
    var ucs2Chars = document.getElementById("ucs2-chars");
    var smart = document.getElementById("smart");
    var smartText = document.getElementById("smart-text");
    var smartSummary = document.getElementById("smart-summary");
    var useSmart = document.getElementById("use-smart");
    var pending = null;
    var seq = 0;
    var lastSmart = "";

    function show(c) {
      setText("count-chars", c.chars);
      setText("count-encoding", c.encoding);
      setText("count-segments", c.segments);
      setText("count-remaining", c.remaining);
      counter.dataset.segments = String(c.segments);
      counter.dataset.encoding = c.encoding;
      counter.classList.toggle("multi", c.segments > 1);
      ackLabel.classList.toggle("required", c.needsAck);
      ack.required = c.needsAck;
      // The characters forcing UCS-2, built as text nodes (never HTML).
      ucs2Chars.replaceChildren();
      c.ucs2.forEach(function (u) {
        var code = document.createElement("code");
        code.textContent = u.char + " " + u.codePoint;
        ucs2Chars.append(code, " ");
      });
      if (c.ucs2More > 0) ucs2Chars.append("and " + c.ucs2More + " more");
      ucs2.hidden = c.ucs2.length === 0;
      if (c.smart) {
        lastSmart = c.smart.text;
        smartText.textContent = c.smart.text;
        smartSummary.textContent = c.smart.segments + " segment(s) in " + c.smart.encoding;
        smart.hidden = false;
      } else {
        lastSmart = "";
        smart.hidden = true;
      }
    }

    function update() {
      var mine = ++seq;
      var form = new URLSearchParams();
      form.set("text", body.value);
      form.set("csrf_token", csrfToken());
      fetch("analyze", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrfToken() },
        body: form.toString(),
        credentials: "same-origin"
      }).then(function (r) {
        if (!r.ok) throw new Error("analyze: HTTP " + r.status);
        return r.json();
      }).then(function (c) {
        if (mine === seq) show(c); // ignore answers overtaken by later typing
      }).catch(function (e) {
        counter.dataset.error = String(e);
      });
    }

    body.addEventListener("input", function () {
      if (pending) clearTimeout(pending);
      pending = setTimeout(update, 60);
    });
    var insert = document.getElementById("insert-snippet");
    if (insert) insert.addEventListener("click", function () {
      var name = document.getElementById("snippet").value;
      var ref = "{{> " + name + "}}";
      var at = body.selectionStart == null ? body.value.length : body.selectionStart;
      body.value = body.value.slice(0, at) + ref + body.value.slice(body.selectionEnd == null ? at : body.selectionEnd);
      body.focus();
      update();
    });
    useSmart.addEventListener("click", function () {
      if (!lastSmart) return;
      body.value = lastSmart;
      update();
    });
    update();
  }

  // Confirmation prompts for destructive and irreversible buttons.
  function initConfirm() {
    document.querySelectorAll("button.danger, button.confirm").forEach(function (b) {
      b.addEventListener("click", function (e) {
        if (!window.confirm(b.textContent.trim() + "?")) e.preventDefault();
      });
    });
  }

  // A conversation polls its thread, so new replies appear without a
  // reload. Entries are built as text nodes (never HTML).
  var pollEvery = 2000;
  function initThread() {
    var list = document.getElementById("thread");
    if (!list) return;
    var state = document.getElementById("thread-state");
    var q = new URLSearchParams({ number: list.dataset.number, sender: list.dataset.sender });
    function render(d) {
      list.replaceChildren();
      d.entries.forEach(function (e) {
        var li = document.createElement("li");
        li.className = e.inbound ? "in" : "out";
        var who = document.createElement("span");
        who.className = "who";
        who.textContent = e.inbound ? "Customer" : "Us";
        var body = document.createElement("span");
        body.className = "body";
        body.textContent = e.body;
        var meta = document.createElement("small");
        meta.className = "meta";
        meta.textContent = e.at + " · " + e.status;
        li.append(who, " ", body, " ", meta);
        list.append(li);
      });
      list.dataset.count = String(d.entries.length);
      list.dataset.open = String(d.open);
      if (state) state.textContent = d.open > 0 ? d.open + " open" : "resolved";
    }
    function poll() {
      fetch("conversation-entries?" + q.toString(), { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("conversation: HTTP " + r.status);
        return r.json();
      }).then(function (d) {
        if (String(d.entries.length) !== list.dataset.count || String(d.open) !== list.dataset.open) render(d);
      }).catch(function (e) {
        list.dataset.error = String(e);
      }).finally(function () {
        setTimeout(poll, pollEvery);
      });
    }
    list.dataset.open = state && /open/.test(state.textContent) ? state.textContent.split(" ")[0] : "0";
    setTimeout(poll, pollEvery);
  }

  document.addEventListener("DOMContentLoaded", function () {
    initSend();
    initConfirm();
    initThread();
  });
})();
