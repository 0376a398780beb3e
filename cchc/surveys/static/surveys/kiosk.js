/* Màn hình đánh giá sự hài lòng (máy tính bảng tại Bộ phận Một cửa, hoặc đường dẫn trên giấy tiếp nhận).
 *
 * No framework. Every rating is put in a queue in localStorage BEFORE it is sent, with the client id
 * (UUID) the browser gave it; the queue is sent on load, on the `online` event and on a timer, and an
 * item leaves the queue only when the server has answered for it (created, replay, duplicate or
 * invalid). A replay with the same client id is answered by the server as the same rating, so a
 * rating sent twice (an answer lost on the way back) is never counted twice.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("kiosk-config").textContent);
  var QUEUE_KEY = "cchc-kiosk-queue";
  // A tablet registered by the administrator: opened once as …/?thiet-bi=TOKEN, it keeps the token here and
  // drops it from the address; every rating carries it (ratings from unregistered screens are kept apart
  // until their dossier is in the system).
  var DEVICE_KEY = "cchc-kiosk-device";
  (function rememberDevice() {
    var match = /[?&]thiet-bi=([^&#]+)/.exec(window.location.search);
    if (!match) { return; }
    try { localStorage.setItem(DEVICE_KEY, decodeURIComponent(match[1])); } catch (e) { /* private mode */ }
    if (window.history && history.replaceState) { history.replaceState(null, "", window.location.pathname); }
  })();
  function deviceHeaders() {
    var headers = { "Content-Type": "application/json", "Accept": "application/json" };
    var token = null;
    try { token = localStorage.getItem(DEVICE_KEY); } catch (e) { token = null; }
    if (token) { headers["X-CCHC-Kiosk"] = token; }
    return headers;
  }
  var RETRY_MS = 20000;
  var IDLE_MS = 90000;
  var DIGITS = 10; // YYMMDD + NNNN
  var codePattern = new RegExp(config.codePattern);
  var qset = config.questionSet;

  var $ = function (id) { return document.getElementById(id); };
  var state = { prefix: config.prefixes[0] || config.unit, digits: "", code: "", answers: {} };
  var timers = { reset: null, countdown: null, idle: null };
  var flushing = false;

  // ---- the queue -------------------------------------------------------------------------------
  function readQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }
  function writeQueue(items) {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
    showQueue();
  }
  function removeFromQueue(clientId) {
    writeQueue(readQueue().filter(function (item) { return item.payload.client_id !== clientId; }));
  }
  function showQueue() {
    var n = readQueue().length;
    var box = $("k-queue");
    box.hidden = n === 0;
    box.textContent = n ? "Chờ gửi: " + n + " phiếu" : "";
  }
  function newClientId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    // crypto.randomUUID needs a secure context; a tablet on plain http inside the office has only this.
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function post(item, timeoutMs) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, timeoutMs || 8000) : null;
    return fetch(item.url, {
      method: "POST",
      headers: deviceHeaders(),
      body: JSON.stringify(item.payload),
      credentials: "omit",
      signal: controller ? controller.signal : undefined,
    }).then(function (response) {
      clearTimeout(timer);
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    }, function (error) { clearTimeout(timer); throw error; });
  }

  // The server has the last word on an item for these answers; anything else (no network, 429, 5xx)
  // leaves it in the queue for the next try.
  function settled(status) { return status === 200 || status === 201 || status === 409 || status === 400 || status === 404; }

  function flush() {
    if (flushing) { return Promise.resolve(); }
    var items = readQueue();
    if (!items.length) { showQueue(); return Promise.resolve(); }
    flushing = true;
    var chain = Promise.resolve(true);
    items.forEach(function (item) {
      chain = chain.then(function (goOn) {
        if (!goOn) { return false; }
        return post(item).then(function (result) {
          if (settled(result.status)) { removeFromQueue(item.payload.client_id); return true; }
          return false;
        }, function () { return false; });
      });
    });
    return chain.then(function () { flushing = false; showQueue(); });
  }

  // ---- screens ----------------------------------------------------------------------------------
  function show(step) {
    ["step-code", "step-questions", "step-done"].forEach(function (id) { $(id).hidden = id !== step; });
    window.scrollTo(0, 0);
  }

  function renderCode() {
    var d = state.digits;
    var shown = d.slice(0, 6) + (d.length > 6 ? "-" + d.slice(6) : "");
    var rest = "YYMMDD-NNNN".slice(shown.length);
    $("k-code").innerHTML = "";
    $("k-code").appendChild(document.createTextNode(state.prefix + "-" + shown));
    var todo = document.createElement("span");
    todo.className = "k-todo";
    todo.textContent = rest;
    $("k-code").appendChild(todo);
    $("k-next").disabled = d.length !== DIGITS;
  }

  function renderPrefixes() {
    var box = $("k-prefixes");
    box.innerHTML = "";
    if (config.prefixes.length < 2) { box.hidden = true; return; }
    config.prefixes.forEach(function (prefix) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = prefix;
      b.setAttribute("aria-pressed", String(prefix === state.prefix));
      b.addEventListener("click", function () { state.prefix = prefix; renderPrefixes(); renderCode(); });
      box.appendChild(b);
    });
  }

  function renderQuestions() {
    var box = $("k-questions");
    box.innerHTML = "";
    qset.questions.forEach(function (q, index) {
      var fs = document.createElement("fieldset");
      fs.className = "k-question";
      fs.dataset.question = q.code;
      var legend = document.createElement("legend");
      legend.textContent = (index + 1) + ". " + q.text;
      if (q.required) {
        var star = document.createElement("span");
        star.className = "k-required";
        star.textContent = " *";
        legend.appendChild(star);
      }
      fs.appendChild(legend);
      var options = document.createElement("div");
      options.className = "k-options";
      q.options.forEach(function (o) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "k-option";
        b.dataset.option = o.code;
        b.textContent = o.label;
        b.setAttribute("aria-pressed", String(state.answers[q.code] === o.code));
        b.addEventListener("click", function () {
          state.answers[q.code] = o.code;
          Array.prototype.forEach.call(options.children, function (other) {
            other.setAttribute("aria-pressed", String(other === b));
          });
          $("k-q-msg").textContent = "";
        });
        options.appendChild(b);
      });
      fs.appendChild(options);
      box.appendChild(fs);
    });
  }

  function reset() {
    clearTimeout(timers.reset); clearInterval(timers.countdown); clearTimeout(timers.idle);
    state.digits = ""; state.code = ""; state.answers = {};
    state.prefix = config.prefixes[0] || config.unit;
    $("k-comment").value = "";
    $("k-code-msg").textContent = ""; $("k-q-msg").textContent = "";
    $("k-send").disabled = false;
    $("step-done").classList.remove("k-dup");
    if (config.mode === "link") {
      setCode(config.prefill);
      if (config.alreadyRated) { done(config.duplicateMessage, true, false); return; }
      toQuestions();
      return;
    }
    renderPrefixes(); renderCode(); show("step-code");
  }

  function setCode(code) {
    state.code = code;
    $("k-code-shown").textContent = code;
  }

  function inQueue(code) {
    return readQueue().some(function (item) { return item.payload.dossier_code === code; });
  }

  function toQuestions() {
    renderQuestions();
    show("step-questions");
    armIdle();
  }

  function next() {
    if (state.digits.length !== DIGITS) { $("k-code-msg").textContent = "Mã hồ sơ cần đủ 10 chữ số sau mã đơn vị."; return; }
    var code = state.prefix + "-" + state.digits.slice(0, 6) + "-" + state.digits.slice(6);
    goWithCode(code);
  }

  function goWithCode(code) {
    if (!codePattern.test(code)) { $("k-code-msg").textContent = "Mã hồ sơ “" + code + "” không đúng dạng (ví dụ: " + config.example + ")."; return; }
    if (inQueue(code)) { $("k-code-msg").textContent = config.duplicateMessage; return; }
    setCode(code);
    $("k-next").disabled = true;
    // Ask the server first so that nobody answers every question to hear the code was rated; offline,
    // go on: the server decides when the queue is sent.
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, 4000) : null;
    fetch(config.checkUrl + "?ma=" + encodeURIComponent(code), { credentials: "omit", signal: controller ? controller.signal : undefined })
      .then(function (response) {
        clearTimeout(timer);
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      })
      .then(function (result) {
        $("k-next").disabled = false;
        if (result.status === 409 || result.status === 400) { $("k-code-msg").textContent = result.data.message; return; }
        toQuestions();
      }, function () { clearTimeout(timer); $("k-next").disabled = false; toQuestions(); });
  }

  function send() {
    var missing = qset.questions.filter(function (q) { return q.required && !state.answers[q.code]; });
    if (missing.length) { $("k-q-msg").textContent = "Xin ông/bà chọn mức hài lòng cho câu: " + missing.map(function (q) { return q.short; }).join(", ") + "."; return; }
    var item = {
      url: config.submitUrl,
      payload: {
        client_id: newClientId(),
        dossier_code: state.code,
        question_set: qset.code,
        answers: state.answers,
        comment: $("k-comment").value.trim(),
        rated_at: new Date().toISOString(),
      },
    };
    var queue = readQueue();
    queue.push(item);
    writeQueue(queue); // saved on the device before anything goes on the network
    $("k-send").disabled = true;
    clearTimeout(timers.idle);
    post(item, 6000).then(function (result) {
      if (settled(result.status)) { removeFromQueue(item.payload.client_id); }
      if (result.status === 201 || result.status === 200) { done(result.data.message || "Cảm ơn ông/bà đã đánh giá.", false); }
      else if (result.status === 409) { done(result.data.message || config.duplicateMessage, true); }
      else if (result.status === 400 || result.status === 404) {
        $("k-send").disabled = false;
        $("k-q-msg").textContent = result.data.message || "Phiếu chưa hợp lệ.";
        armIdle();
      } else { done("Phiếu của ông/bà đã được lưu trên máy và sẽ tự gửi đi.", false); }
    }, function () {
      done("Phiếu của ông/bà đã được lưu trên máy và sẽ tự gửi khi có mạng.", false);
    });
  }

  function done(message, duplicate, countdown) {
    $("k-done-title").textContent = duplicate ? "Xin cảm ơn" : "Cảm ơn ông/bà!";
    $("k-done-msg").textContent = message;
    $("step-done").classList.toggle("k-dup", !!duplicate);
    $("k-new").hidden = config.mode === "link";
    show("step-done");
    if (config.mode === "link" || countdown === false || !config.resetSeconds) { $("k-countdown").textContent = ""; return; }
    var left = config.resetSeconds;
    $("k-countdown").textContent = "Màn hình sẽ trở lại sau " + left + " giây.";
    timers.countdown = setInterval(function () {
      left -= 1;
      $("k-countdown").textContent = "Màn hình sẽ trở lại sau " + Math.max(left, 0) + " giây.";
    }, 1000);
    timers.reset = setTimeout(reset, config.resetSeconds * 1000);
  }

  // A citizen who walks away mid-way must not leave their answers for the next one.
  function armIdle() {
    clearTimeout(timers.idle);
    if (config.mode === "kiosk") { timers.idle = setTimeout(reset, IDLE_MS); }
  }

  // ---- input --------------------------------------------------------------------------------------
  document.querySelectorAll(".k-key").forEach(function (key) {
    key.addEventListener("click", function () {
      $("k-code-msg").textContent = "";
      if (key.dataset.digit && state.digits.length < DIGITS) { state.digits += key.dataset.digit; }
      if (key.dataset.action === "back") { state.digits = state.digits.slice(0, -1); }
      if (key.dataset.action === "clear") { state.digits = ""; }
      renderCode();
    });
  });
  $("k-next").addEventListener("click", next);
  $("k-back").addEventListener("click", function () { if (config.mode === "kiosk") { reset(); } });
  $("k-send").addEventListener("click", send);
  $("k-new").addEventListener("click", reset);
  document.addEventListener("click", function () { if (!$("step-questions").hidden) { armIdle(); } });

  // A QR/barcode scanner types the whole code and Enter, like a keyboard.
  var scanned = "";
  document.addEventListener("keydown", function (event) {
    if ($("step-code").hidden || event.target.tagName === "TEXTAREA") { return; }
    if (event.key === "Enter") {
      var code = scanned.trim().toUpperCase();
      scanned = "";
      if (code.length > DIGITS) { goWithCode(code); } else if (state.digits.length === DIGITS) { next(); }
      return;
    }
    if (event.key === "Backspace") { state.digits = state.digits.slice(0, -1); renderCode(); return; }
    if (event.key.length === 1) {
      scanned += event.key;
      if (/[0-9]/.test(event.key) && scanned.length <= DIGITS && state.digits.length < DIGITS && /^[0-9]*$/.test(scanned)) {
        state.digits += event.key; renderCode();
      }
    }
  });

  window.addEventListener("online", flush);
  setInterval(flush, RETRY_MS);

  reset();
  if (config.mode === "kiosk" && config.prefill && codePattern.test(config.prefill)) { goWithCode(config.prefill); }
  showQueue();
  flush();
})();
