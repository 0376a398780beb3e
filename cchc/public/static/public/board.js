/* Bảng điện tử: the clock, the pages of the ready list, and the "offline" note. The content itself is
   fetched by htmx (hx-trigger="every …"); when a fetch fails htmx keeps the last content on screen. */
(function () {
  "use strict";
  var DAYS = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];
  var body = document.body;
  // The server's clock, not the TV's: the offset is kept from the page load (and every fetch).
  var offset = (parseInt(body.dataset.serverNow, 10) * 1000 || Date.now()) - Date.now();
  var pageSeconds = Math.max(parseInt(body.dataset.pageSeconds, 10) || 10, 1);
  var page = 0;
  var loadedAt = Date.now();

  function two(n) { return (n < 10 ? "0" : "") + n; }

  // Asia/Ho_Chi_Minh has no daylight saving: UTC+7 all year.
  function vnNow() { return new Date(Date.now() + offset + 7 * 3600 * 1000); }

  function tick() {
    var d = vnNow();
    var time = document.getElementById("b-time");
    var day = document.getElementById("b-date");
    if (time) { time.textContent = two(d.getUTCHours()) + ":" + two(d.getUTCMinutes()); }
    if (day) {
      day.textContent = DAYS[d.getUTCDay()] + ", " + two(d.getUTCDate()) + "/" + two(d.getUTCMonth() + 1) + "/" + d.getUTCFullYear();
    }
  }

  function showPage() {
    var pages = document.querySelectorAll("#b-content .b-page");
    if (!pages.length) { return; }
    page = page % pages.length;
    for (var i = 0; i < pages.length; i++) { pages[i].hidden = i !== page; }
    var no = document.querySelector("#b-content .b-pageno");
    if (no) { no.textContent = String(page + 1); }
  }

  function nextPage() { page += 1; showPage(); }

  function offline(on) {
    var note = document.getElementById("b-offline");
    if (note) { note.hidden = !on; }
    body.classList.toggle("b-is-offline", on);
  }

  function failed() { offline(true); }

  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:timeout", failed);
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail || !event.detail.target || event.detail.target.id !== "b-content") { return; }
    offline(false);
    var stamp = document.getElementById("b-stamp");
    var server = stamp ? parseInt(stamp.dataset.stamp, 10) : NaN;
    if (!isNaN(server)) { offset = server * 1000 - Date.now(); }
    showPage();
    // A screen left on for days reloads itself now and then (new styles, no slow leak), only when online.
    if (Date.now() - loadedAt > 6 * 3600 * 1000) { window.location.reload(); }
  });

  tick();
  showPage();
  setInterval(tick, 1000);
  setInterval(nextPage, pageSeconds * 1000);
})();
