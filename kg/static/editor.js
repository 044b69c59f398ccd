// The query page's SPARQL editor: a textarea over a highlighted copy of its text,
// and a completion list (keywords, prefixes, the ontology's terms from /api/terms,
// the query's own variables). The project's own code, no library, nothing fetched
// but this server's /api/terms. Text is only ever put into the page as text nodes.
"use strict";

(function () {
  const TOKEN = new RegExp([
    "(#[^\\n]*)",                                                         // 1 comment
    "(\"\"\"[\\s\\S]*?(?:\"\"\"|$)|'''[\\s\\S]*?(?:'''|$)|\"(?:[^\"\\\\\\n]|\\\\.)*\"?|'(?:[^'\\\\\\n]|\\\\.)*'?)", // 2 string
    "(<[^<>\"{}|^`\\\\\\s]*>)",                                           // 3 IRI
    "([?$][A-Za-z0-9_\\u00B7\\u00C0-\\uFFFF]+)",                          // 4 variable
    "(@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",                                     // 5 language tag
    "((?:[A-Za-z][\\w.-]*)?:(?:[\\w-]|\\.(?=[\\w-]))*)",                  // 6 prefixed name
    "([+-]?(?:\\d+\\.\\d*|\\.\\d+|\\d+)(?:[eE][+-]?\\d+)?)",              // 7 number
    "([A-Za-z_]\\w*)",                                                    // 8 word
    "(\\s+)",                                                             // 9 space
    "([\\s\\S])",                                                         // 10 anything else
  ].join("|"), "gy");

  const CLASSES = [null, "comment", "string", "iri", "var", "lang", "pname", "number", "word", null, "punct"];
  const vocab = {
    keywords: ["SELECT", "WHERE", "PREFIX", "FILTER", "OPTIONAL", "ORDER", "BY", "LIMIT", "DISTINCT", "UNION", "GRAPH"],
    keywordSet: new Set(),
    prefixes: {},
    terms: [],
  };

  function setVocabulary(data) {
    vocab.keywords = data.keywords || vocab.keywords;
    vocab.keywordSet = new Set(vocab.keywords.map((k) => k.toUpperCase()));
    vocab.prefixes = data.prefixes || {};
    vocab.terms = data.terms || [];
  }
  setVocabulary({ keywords: vocab.keywords });

  // [class, text] pairs covering the whole text.
  function tokenize(text) {
    const out = [];
    TOKEN.lastIndex = 0;
    let m;
    while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text)) !== null) {
      let group = 1;
      while (group < m.length && m[group] === undefined) group++;
      let cls = CLASSES[group];
      if (cls === "word") {
        cls = vocab.keywordSet.has(m[0].toUpperCase()) || m[0] === "a" ? "keyword" : null;
      } else if (cls === "var" && /^[?$]_/.test(m[0])) {
        cls = "param";
      } else if (cls === "pname") {
        const prefix = m[0].split(":")[0];
        cls = prefix in vocab.prefixes || prefix === "" ? "pname" : "pname unknown";
        if (vocab.terms.some((t) => t.name === m[0])) cls += " term";
      }
      out.push([cls, m[0]]);
    }
    return out;
  }

  function highlight(pre, text) {
    const frag = document.createDocumentFragment();
    for (const [cls, part] of tokenize(text)) {
      if (cls) {
        const span = document.createElement("span");
        span.className = "tok-" + cls.split(" ").join(" tok-");
        span.textContent = part;
        frag.append(span);
      } else {
        frag.append(document.createTextNode(part));
      }
    }
    // A trailing newline needs something after it, or the copy is a line short.
    frag.append(document.createTextNode("\n "));
    pre.replaceChildren(frag);
  }

  // The word being typed just before the caret, and what could complete it.
  function wordBefore(text, caret) {
    const m = /[?$]?[A-Za-z_][\w.-]*:?[\w.-]*$|[?$]$/.exec(text.slice(0, caret));
    return m ? m[0] : "";
  }

  function candidates(text, caret, forced) {
    const word = wordBefore(text, caret);
    if (!word && !forced) return { word, items: [] };
    // Nothing to complete inside a comment, a string or an IRI.
    const before = tokenize(text.slice(0, caret));
    const last = before.length ? before[before.length - 1][0] : null;
    if (last === "comment" || last === "string" || last === "iri") return { word, items: [] };
    const items = [];
    const lower = word.toLowerCase();
    const seen = new Set();
    const add = (value, kind, detail) => {
      if (!seen.has(value) && value !== word) { seen.add(value); items.push({ value, kind, detail: detail || "" }); }
    };
    if (word.startsWith("?") || word.startsWith("$")) {
      const vars = new Set();
      for (const [cls, part] of tokenize(text)) if (cls === "var" || cls === "param") vars.add(part);
      for (const v of [...vars].sort()) if (v.toLowerCase().startsWith(lower)) add(v, "variable");
    } else if (word.includes(":")) {
      for (const t of vocab.terms) if (t.name.toLowerCase().startsWith(lower)) add(t.name, t.kind, t.label);
    } else {
      if (word.length >= 1 || forced) {
        for (const t of vocab.terms) {
          const local = t.name.split(":")[1].toLowerCase();
          if (word && local.startsWith(lower)) add(t.name, t.kind, t.label);
        }
        for (const p of Object.keys(vocab.prefixes).sort()) if (p.startsWith(lower)) add(p + ":", "prefix", vocab.prefixes[p]);
        for (const k of vocab.keywords) if (k.toLowerCase().startsWith(lower) && (word || forced)) add(k, "keyword");
      }
    }
    // Shorter first (the likeliest word), then in order.
    items.sort((a, b) => a.value.length - b.value.length || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    return { word, items: items.slice(0, 12) };
  }

  function attach(textarea, pre, list) {
    let state = { word: "", items: [], active: 0 };

    function sync() {
      highlight(pre, textarea.value);
      pre.scrollTop = textarea.scrollTop;
      pre.scrollLeft = textarea.scrollLeft;
    }

    function caretXY() {
      // A mirror of the textarea's text up to the caret, in the same font and padding.
      const mirror = document.createElement("div");
      const cs = getComputedStyle(textarea);
      for (const p of ["fontFamily", "fontSize", "fontWeight", "lineHeight", "paddingTop", "paddingLeft",
                       "borderTopWidth", "borderLeftWidth", "letterSpacing", "tabSize"]) mirror.style[p] = cs[p];
      mirror.style.position = "absolute";
      mirror.style.visibility = "hidden";
      mirror.style.whiteSpace = "pre";
      mirror.textContent = textarea.value.slice(0, textarea.selectionStart);
      const mark = document.createElement("span");
      mark.textContent = "\u200b";
      mirror.append(mark);
      textarea.parentNode.append(mirror);
      const xy = { x: mark.offsetLeft - textarea.scrollLeft, y: mark.offsetTop + mark.offsetHeight - textarea.scrollTop };
      mirror.remove();
      return xy;
    }

    function close() {
      list.hidden = true;
      list.replaceChildren();
      state = { word: "", items: [], active: 0 };
    }

    function render() {
      list.replaceChildren();
      state.items.forEach((item, i) => {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.dataset.value = item.value;
        if (i === state.active) { li.className = "active"; li.setAttribute("aria-selected", "true"); }
        const v = document.createElement("span");
        v.className = "value";
        v.textContent = item.value;
        const k = document.createElement("span");
        k.className = "kind";
        k.textContent = item.detail ? item.kind + " · " + item.detail : item.kind;
        li.append(v, k);
        li.addEventListener("mousedown", (ev) => { ev.preventDefault(); accept(i); });
        list.append(li);
      });
    }

    function open(forced) {
      const c = candidates(textarea.value, textarea.selectionStart, forced);
      if (!c.items.length) { close(); return; }
      state = { word: c.word, items: c.items, active: 0 };
      render();
      const xy = caretXY();
      list.style.left = Math.max(0, Math.min(xy.x, textarea.clientWidth - 260)) + "px";
      list.style.top = (xy.y + 2) + "px";
      list.hidden = false;
    }

    function accept(i) {
      const item = state.items[i];
      if (!item) return;
      const end = textarea.selectionStart;
      textarea.setRangeText(item.value, end - state.word.length, end, "end");
      close();
      sync();
      textarea.dispatchEvent(new Event("change"));
      textarea.focus();
    }

    textarea.addEventListener("input", (ev) => {
      sync();
      if (ev.isComposing) return;
      if (/^(insertText|insertCompositionText)$/.test(ev.inputType || "") && /[\w:?$]$/.test(ev.data || "")) open(false);
      else close();
    });
    textarea.addEventListener("scroll", () => {
      pre.scrollTop = textarea.scrollTop;
      pre.scrollLeft = textarea.scrollLeft;
    });
    textarea.addEventListener("blur", () => setTimeout(close, 100));
    textarea.addEventListener("keydown", (ev) => {
      if (ev.key === " " && ev.ctrlKey) { ev.preventDefault(); open(true); return; }
      if (!list.hidden) {
        if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
          ev.preventDefault();
          const n = state.items.length;
          state.active = (state.active + (ev.key === "ArrowDown" ? 1 : n - 1)) % n;
          render();
          return;
        }
        if ((ev.key === "Enter" && !ev.ctrlKey && !ev.metaKey) || ev.key === "Tab") {
          ev.preventDefault();
          accept(state.active);
          return;
        }
        if (ev.key === "Escape") { ev.preventDefault(); close(); return; }
      }
      if (ev.key === "Tab" && !ev.shiftKey) {
        ev.preventDefault();
        textarea.setRangeText("  ", textarea.selectionStart, textarea.selectionEnd, "end");
        sync();
      }
    });
    sync();
    return { sync, open, close };
  }

  window.zonekgEditor = { tokenize, candidates, highlight, attach, setVocabulary, vocab };
})();
