// Bàn tiếp nhận: the keyboard alone is enough. Enter in the search box picks the first match (of what
// is typed now, not of an older keystroke), ↓/↑ walk the list, Esc closes it; once a procedure is picked
// the cursor moves on to the papers checklist, then Tab goes through the applicant's fields.
(() => {
  const search = document.getElementById("proc-q");
  if (!search) return;
  const list = document.getElementById("proc-options");
  const chosen = document.getElementById("proc-chosen");
  const current = () => search.value.trim();
  const options = () => Array.from(list.querySelectorAll("button[data-pick]"));
  const answers = () => list.querySelector("[data-q]")?.dataset.q;
  let pickFirstWhenListed = false;
  let pickedFor = null; // the text the last pick was made from: no list for it until the text changes

  const close = () => { list.replaceChildren(); pickFirstWhenListed = false; };
  const pickFirst = () => {
    const first = options()[0];
    if (first) first.click();
  };

  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault(); // never submit the form from the search box
      if (!current()) return;
      if (answers() === current()) {
        pickFirst();
      } else {
        pickFirstWhenListed = true;
        htmx.trigger(search, "searchnow");
      }
    } else if (event.key === "ArrowDown") {
      const first = options()[0];
      if (first) { event.preventDefault(); first.focus(); }
    } else if (event.key === "Escape") {
      close();
    }
  });

  list.addEventListener("keydown", (event) => {
    const all = options();
    const at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at < all.length - 1) {
      event.preventDefault(); all[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault(); (at > 0 ? all[at - 1] : search).focus();
    } else if (event.key === "Escape") {
      search.focus(); close();
    }
  });

  // A list still on its way after the pick (typed just before Enter) must not reopen under the cursor.
  search.addEventListener("htmx:beforeRequest", (event) => {
    const trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (pickedFor !== null && current() === pickedFor && trigger && trigger.type === "input") event.preventDefault();
  });
  list.addEventListener("htmx:beforeRequest", () => { pickedFor = current(); });
  search.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target === list && pickedFor !== null && current() === pickedFor
        && document.activeElement !== search) event.detail.shouldSwap = false;
  });

  // After the settle, not the swap: only then has htmx wired the new buttons.
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target === list) {
      if (pickFirstWhenListed && answers() === current()) { pickFirstWhenListed = false; pickFirst(); }
    } else if (event.detail.target === chosen) {
      close();
      const next = chosen.querySelector("input[type=checkbox]") || document.getElementById("id_applicant_name");
      if (next) next.focus();
    }
  });
})();
