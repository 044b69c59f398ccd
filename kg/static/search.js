// The search box of every served page: completion over names and aliases
// (/api/names on this server), then straight to the entity page (/search).
"use strict";

(function () {
  const input = document.getElementById("entity-q");
  const list = document.getElementById("entity-names");
  if (!input || !list) return;
  let pending = null;
  let last = "";
  const paths = new Map(); // completion text -> entity path

  async function complete() {
    const q = input.value.trim();
    if (q === last) return;
    last = q;
    if (!q) { list.replaceChildren(); return; }
    try {
      const r = await fetch("/api/names?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } });
      if (!r.ok || input.value.trim() !== q) return;
      const data = await r.json();
      const frag = document.createDocumentFragment();
      for (const n of data.names) {
        const opt = document.createElement("option");
        opt.value = n.name;
        opt.label = n.name === n.label ? n.type : n.label + " · " + n.type;
        paths.set(n.name, n.path);
        frag.append(opt);
      }
      list.replaceChildren(frag);
    } catch (err) {
      // The completion is a help; the form still submits to /search.
    }
  }

  input.addEventListener("input", (ev) => {
    // A completion picked from the list (not typed) goes straight to its page.
    const path = paths.get(input.value);
    if (path && /^\/id\/[^?#]+$/.test(path) && (ev.inputType === "insertReplacementText" || !ev.inputType)) {
      window.location.href = path;
      return;
    }
    clearTimeout(pending);
    pending = setTimeout(complete, 120);
  });
})();
