/* Kiosk SKM screens: one respondent at a time, answers queued in localStorage and sent
 * with retries, so a network cut loses nothing and a retry counts nothing twice (the
 * server is idempotent on the client id).
 *
 * Testable state: #kiosk[data-screen], #kiosk[data-queue], #kiosk[data-online],
 * #kiosk-queue-count (number of answers not yet confirmed by the server).
 */
(function () {
  "use strict";

  var app = document.getElementById("kiosk");
  if (!app) { return; }

  var QUEUE_KEY = "kinerja-kiosk-queue-v1";
  var MAX_DELAY = 60000;
  var REQUEST_TIMEOUT = 10000;  // one hung connection must not stall the queue
  var api = app.getAttribute("data-api");
  var keyMeta = document.querySelector('meta[name="kiosk-key"]');
  var deviceKey = keyMeta ? keyMeta.getAttribute("content") : "";
  var idleMs = parseInt(app.getAttribute("data-idle-ms"), 10) || 10000;
  var thanksMs = parseInt(app.getAttribute("data-thanks-ms"), 10) || 3000;
  var hasServices = app.getAttribute("data-has-services") === "true";
  var screens = Array.prototype.slice.call(app.querySelectorAll(".screen"));
  var order = screens.map(function (s) { return s.getAttribute("data-screen-name"); });
  var counter = document.getElementById("kiosk-queue-count");
  var indicator = document.getElementById("kiosk-queue");
  var comment = document.getElementById("kiosk-comment");

  var current = null;        // the respondent being answered: {id, payload}
  var ignored = {};          // ids the server did not count (interval): not sent again
  var idleTimer = null;
  var thanksTimer = null;
  var flushTimer = null;
  var flushing = false;
  var failures = 0;

  /* --- ids ------------------------------------------------------------------------- */

  function uuid4() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // crypto.randomUUID needs a secure context; getRandomValues works on plain http too.
    var b = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(b);
    } else {
      for (var i = 0; i < 16; i++) { b[i] = Math.floor(Math.random() * 256); }
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* --- the queue (localStorage, keyed by client id) ------------------------------------ */

  var memoryQueue = {};

  function loadQueue() {
    try {
      var raw = window.localStorage.getItem(QUEUE_KEY);
      var parsed = raw ? JSON.parse(raw) : {};
      return parsed && typeof parsed === "object" ? parsed : {};
    } catch (e) {
      return memoryQueue;
    }
  }

  function saveQueue(queue) {
    memoryQueue = queue;
    try {
      window.localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
    } catch (e) { /* storage full or blocked: the in-memory copy still retries */ }
    showQueue(queue);
  }

  function showQueue(queue) {
    var n = Object.keys(queue || loadQueue()).length;
    counter.textContent = String(n);
    indicator.setAttribute("data-count", String(n));
    indicator.hidden = n === 0;
    app.setAttribute("data-queue", String(n));
  }

  function enqueue(payload) {
    if (ignored[payload.id]) { return; }
    var queue = loadQueue();
    var entry = queue[payload.id] || { version: 0 };
    entry.payload = JSON.parse(JSON.stringify(payload));
    entry.version += 1;
    queue[payload.id] = entry;
    saveQueue(queue);
    failures = 0;
    scheduleFlush(0);
  }

  function scheduleFlush(delay) {
    if (flushTimer) { window.clearTimeout(flushTimer); }
    flushTimer = window.setTimeout(flush, delay);
  }

  function backoff() {
    failures += 1;
    var delay = Math.min(MAX_DELAY, 1000 * Math.pow(2, failures));
    delay = Math.round(delay * (0.75 + Math.random() * 0.5));
    scheduleFlush(Math.min(MAX_DELAY, delay));
  }

  function send(entry) {
    // Aborted after REQUEST_TIMEOUT: the answer stays queued and is retried with backoff
    // (a retry never counts twice: the server is idempotent on the id).
    var controller = window.AbortController ? new window.AbortController() : null;
    var timer = window.setTimeout(function () { if (controller) { controller.abort(); } }, REQUEST_TIMEOUT);
    return fetch(api, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/json", "X-Kiosk-Key": deviceKey },
      body: JSON.stringify(entry.payload),
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        window.clearTimeout(timer);
        return { status: response.status, code: body && body.code };
      });
    }, function (error) {
      window.clearTimeout(timer);
      throw error;
    });
  }

  // Final answers from the server: the entry leaves the queue. A service the kiosk no
  // longer offers is not a refusal (the server stores the answers without it). "conflict"
  // means the id already holds other answers, which stand. Everything else (network
  // errors, timeouts, 5xx, an unpaired or revoked device, an unknown code) keeps the entry
  // for a later retry; so does "busy" (a back-dated backlog is stored at a bounded rate per
  // minute: the answer waits in the queue and is sent again after the backoff).
  var FINAL = { stored: 1, updated: 1, duplicate: 1, conflict: 1, ignored_interval: 1, closed: 1, rate_limited: 1, before_pairing: 1, invalid: 1 };

  function flush() {
    flushTimer = null;
    if (flushing) { return; }
    var queue = loadQueue();
    var ids = Object.keys(queue).sort(function (a, b) {
      return (queue[a].payload.answered_at || 0) - (queue[b].payload.answered_at || 0);
    });
    if (!ids.length) { failures = 0; return; }
    flushing = true;
    var id = ids[0];
    var entry = queue[id];
    send(entry).then(function (result) {
      flushing = false;
      app.setAttribute("data-online", "true");
      if (!FINAL[result.code] || (result.status >= 500)) { backoff(); return; }
      if (result.code === "ignored_interval") { ignored[id] = true; }
      var latest = loadQueue();
      if (latest[id] && latest[id].version === entry.version) { delete latest[id]; }
      saveQueue(latest);
      failures = 0;
      scheduleFlush(0);
    }, function () {
      flushing = false;
      app.setAttribute("data-online", "false");
      backoff();
    });
  }

  /* --- screens ------------------------------------------------------------------------ */

  function show(name) {
    screens.forEach(function (s) { s.hidden = s.getAttribute("data-screen-name") !== name; });
    app.setAttribute("data-screen", name);
    window.clearTimeout(idleTimer);
    if (name === "thanks") {
      thanksTimer = window.setTimeout(reset, thanksMs);
    } else if (name !== "start") {
      idleTimer = window.setTimeout(abandon, idleMs);
    }
  }

  function poke() {
    var name = app.getAttribute("data-screen");
    if (name !== "start" && name !== "thanks") {
      window.clearTimeout(idleTimer);
      idleTimer = window.setTimeout(abandon, idleMs);
    }
  }

  function reset() {
    window.clearTimeout(thanksTimer);
    current = null;
    if (comment) { comment.value = ""; }
    show("start");
  }

  function abandon() {
    // Left idle: what was answered already counts (it is queued); start over.
    if (current) { enqueue(current.payload); }
    reset();
  }

  function finish(withComment) {
    if (current) {
      if (withComment && comment && comment.value.trim()) {
        current.payload.comment = comment.value.trim().slice(0, 280);
      }
      enqueue(current.payload);
      current = null;
    }
    if (comment) { comment.value = ""; }
    show("thanks");
  }

  function next(fromName) {
    var i = order.indexOf(fromName);
    var following = order[i + 1];
    if (!following || following === "thanks") { finish(false); return; }
    show(following);
  }

  function start(face) {
    current = {
      payload: { id: uuid4(), face: face, answered_at: Date.now() }
    };
    enqueue(current.payload);   // the quick rating counts on its own
    show(hasServices ? "service" : "U1");
  }

  /* --- wiring -------------------------------------------------------------------------- */

  var form = document.getElementById("form-start");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = event.submitter || document.activeElement;
    var face = button ? parseInt(button.getAttribute("data-face"), 10) : NaN;
    if (face >= 1 && face <= 4) { start(face); }
  });

  app.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("button") : null;
    if (!target || !app.contains(target) || target.type === "submit") { return; }
    var section = target.closest(".screen");
    var name = section ? section.getAttribute("data-screen-name") : "";
    poke();
    if (!current) { reset(); return; }
    if (target.hasAttribute("data-service")) {
      current.payload.service_type_id = parseInt(target.getAttribute("data-service"), 10);
      next(name);
    } else if (target.hasAttribute("data-answer")) {
      current.payload.unsur = current.payload.unsur || {};
      current.payload.unsur[section.getAttribute("data-unsur")] = parseInt(target.getAttribute("data-answer"), 10);
      next(name);
    } else {
      var action = target.getAttribute("data-action");
      if (action === "next") { next(name); }
      else if (action === "finish") { finish(true); }
      else if (action === "finish-skip") { finish(false); }
    }
  });

  ["keydown", "input", "pointerdown", "touchstart"].forEach(function (type) {
    app.addEventListener(type, poke, { passive: true });
  });

  window.addEventListener("online", function () {
    app.setAttribute("data-online", "true");
    failures = 0;
    scheduleFlush(0);
  });
  window.addEventListener("offline", function () { app.setAttribute("data-online", "false"); });
  window.addEventListener("storage", function (event) {
    if (event.key === QUEUE_KEY) { showQueue(); }
  });

  showQueue();
  show("start");
  scheduleFlush(0);
  // A periodic nudge in case a timer was lost while the tablet slept.
  window.setInterval(function () { if (!flushTimer && !flushing) { scheduleFlush(0); } }, MAX_DELAY);
})();
