// The zonekg query page: the library queries as tabs (their parameters as fields),
// the editor (editor.js), results beside it, and a link to every query
// (/?query=…&param.x=…, or /?name=…). No framework, no network access beyond this server.
"use strict";

(function () {
  const PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "kg": "https://w3id.org/zonekg/ontology#",
    "id": "https://w3id.org/zonekg/id/",
  };
  const ID = PREFIXES.id;
  const NUMERIC = new Set(["integer", "decimal", "double", "float", "long", "int"].map(
    (t) => PREFIXES.xsd + t));

  const $ = (id) => document.getElementById(id);
  const tabs = $("library");
  const editor = $("query");
  const paramsBox = $("params");
  const question = $("question");
  const runButton = $("run");
  const status = $("status");
  const errorBox = $("error");
  const table = $("results");
  const graphOut = $("graph-output");
  const share = $("share");
  const ed = window.zonekgEditor.attach(editor, $("highlight"), $("completions"));
  let queries = [];
  let current = null; // the library query picked, while its text is unchanged

  function compact(iri) {
    for (const [p, ns] of Object.entries(PREFIXES)) {
      if (iri.startsWith(ns) && iri.length > ns.length) return p + ":" + iri.slice(ns.length);
    }
    return "<" + iri + ">";
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.className = "iri";
      td.title = term.value;
      // An entity of this graph: a link to its page here.
      if (term.value.startsWith(ID) && /^[A-Za-z0-9_.\/-]+$/.test(term.value.slice(ID.length))) {
        const a = document.createElement("a");
        a.href = "/id/" + term.value.slice(ID.length);
        a.className = "iri";
        a.textContent = compact(term.value);
        td.append(a);
      } else {
        td.textContent = compact(term.value);
      }
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else if (term.type === "triple") {
      td.textContent = "<< … >>";
    } else {
      td.textContent = term.value;
      if (term.datatype && NUMERIC.has(term.datatype)) td.className = "num";
      if (term["xml:lang"]) td.lang = term["xml:lang"];
    }
    return td;
  }

  function clearResults() {
    errorBox.hidden = true;
    errorBox.textContent = "";
    table.hidden = true;
    table.tHead.replaceChildren();
    table.tBodies[0].replaceChildren();
    graphOut.hidden = true;
    graphOut.textContent = "";
  }

  // The filled fields whose ?_name placeholder is still in the query (an edited query
  // may have lost one; the endpoint refuses a value for a parameter the query lacks).
  function paramValues() {
    const present = new Set();
    for (const [cls, part] of window.zonekgEditor.tokenize(editor.value)) if (cls === "param") present.add(part.slice(2));
    const values = {};
    for (const input of paramsBox.querySelectorAll("input[data-param]")) {
      if (input.value.trim() !== "" && present.has(input.dataset.param)) values[input.dataset.param] = input.value.trim();
    }
    return values;
  }

  function requestBody() {
    const body = new URLSearchParams();
    body.set("query", editor.value);
    for (const [k, v] of Object.entries(paramValues())) body.set("param." + k, v);
    return body;
  }

  // The link to what is on the page now: the library query by name while its text
  // is unchanged, else the text itself; the parameters filled in.
  function pageURL() {
    const u = new URLSearchParams();
    if (current && editor.value === current.text) u.set("name", current.name);
    else u.set("query", editor.value);
    for (const [k, v] of Object.entries(paramValues())) u.set("param." + k, v);
    return "/?" + u.toString();
  }

  function updateLink() {
    const url = pageURL();
    share.href = url;
    if (window.location.pathname + window.location.search !== url) history.replaceState(null, "", url);
  }

  function updateDownloads() {
    for (const [id, fmt] of [["download-csv", "csv"], ["download-json", "json"]]) {
      const link = $(id);
      const body = requestBody();
      body.set("format", fmt);
      link.href = "/sparql?" + body.toString();
      link.hidden = false;
    }
  }

  function paramField(p, value) {
    const label = document.createElement("label");
    label.className = "param";
    const name = document.createElement("span");
    name.textContent = p.name + " (" + p.type + ")";
    const input = document.createElement("input");
    input.type = "text";
    input.dataset.param = p.name;
    input.placeholder = p.description || "";
    input.title = p.description || "";
    if (value) input.value = value;
    input.addEventListener("keydown", (ev) => { if (ev.key === "Enter") run(); });
    input.addEventListener("change", updateLink);
    label.append(name, input);
    return label;
  }

  function showParams(params, values) {
    paramsBox.replaceChildren(...params.map((p) => paramField(p, values[p.name])));
  }

  // A query typed or shared without a library name: a field per ?_name placeholder.
  function placeholderParams(text) {
    const names = new Set();
    for (const [cls, part] of window.zonekgEditor.tokenize(text)) if (cls === "param") names.add(part.slice(2));
    return [...names].map((n) => ({ name: n, type: "string", description: "?_" + n }));
  }

  function selectTab(name) {
    for (const b of tabs.querySelectorAll("button[role=tab]")) {
      b.setAttribute("aria-selected", b.dataset.query === name ? "true" : "false");
      b.tabIndex = b.dataset.query === name ? 0 : -1;
    }
  }

  function pick(name, values) {
    const q = queries.find((x) => x.name === name);
    if (!q) return false;
    current = q;
    editor.value = q.text;
    ed.sync();
    question.textContent = q.question_zh + " — " + q.question_en;
    showParams(q.params, values || {});
    selectTab(name);
    clearResults();
    status.textContent = "";
    updateLink();
    return true;
  }

  async function run() {
    clearResults();
    runButton.disabled = true;
    status.textContent = "运行中… running…";
    updateLink();
    const started = performance.now();
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: requestBody(),
      });
      const ms = Math.round(performance.now() - started);
      const text = await response.text();
      if (!response.ok) {
        status.textContent = "错误 error " + response.status;
        errorBox.textContent = text;
        errorBox.hidden = false;
        return;
      }
      const truncated = response.headers.get("X-Result-Truncated") === "true";
      const cap = response.headers.get("X-Max-Rows");
      const ctype = response.headers.get("Content-Type") || "";
      if (ctype.startsWith("text/turtle")) {
        graphOut.textContent = text;
        graphOut.hidden = false;
        const n = response.headers.get("X-Result-Rows");
        status.textContent = n + " triples · " + ms + " ms" + (truncated ? " · capped at " + cap : "");
      } else {
        const data = JSON.parse(text);
        render(data);
        const n = table.tBodies[0].rows.length;
        if (typeof data.boolean === "boolean") {
          status.textContent = "ASK · " + ms + " ms";
        } else {
          status.textContent = n + " rows · " + ms + " ms" +
            (truncated ? " · capped at " + cap + " rows (行数已达上限)" : "");
        }
      }
      // What the name parameters resolved to (鹤壁经开区 → 鹤壁国家经济技术开发区), or "no zone named …".
      const notes = response.headers.get("X-Name-Notes");
      if (notes) {
        status.textContent += " · " + decodeURIComponent(notes).split("\n").join(" · ");
      }
      updateDownloads();
      refreshGraphInfo();
    } catch (err) {
      status.textContent = "错误 error";
      errorBox.textContent = String(err);
      errorBox.hidden = false;
    } finally {
      runButton.disabled = false;
    }
  }

  function render(data) {
    const head = document.createElement("tr");
    const body = table.tBodies[0];
    if (typeof data.boolean === "boolean") {
      const th = document.createElement("th");
      th.textContent = "ASK";
      head.append(th);
      const tr = document.createElement("tr");
      const td = document.createElement("td");
      td.textContent = String(data.boolean);
      tr.append(td);
      body.append(tr);
    } else {
      const vars = data.head.vars;
      for (const v of vars) {
        const th = document.createElement("th");
        th.textContent = v;
        head.append(th);
      }
      const frag = document.createDocumentFragment();
      for (const binding of data.results.bindings) {
        const tr = document.createElement("tr");
        for (const v of vars) tr.append(cell(binding[v]));
        frag.append(tr);
      }
      body.append(frag);
    }
    table.tHead.append(head);
    table.hidden = false;
  }

  function buildTabs() {
    for (const q of queries) {
      const b = document.createElement("button");
      b.type = "button";
      b.setAttribute("role", "tab");
      b.setAttribute("aria-selected", "false");
      b.dataset.query = q.name;
      b.textContent = q.name;
      b.title = q.question_zh + " — " + q.question_en;
      b.addEventListener("click", () => pick(q.name));
      tabs.append(b);
    }
  }

  // What the page's URL asks for: a library query by name, or a query's text; parameters.
  function fromURL() {
    const u = new URLSearchParams(window.location.search);
    const values = {};
    for (const [k, v] of u) if (k.startsWith("param.")) values[k.slice(6)] = v;
    const name = u.get("name");
    const text = u.get("query");
    if (name && pick(name, values)) {
      if (text !== null && text !== current.text) {
        editor.value = text;
        ed.sync();
      }
      return true;
    }
    if (text !== null) {
      editor.value = text;
      ed.sync();
      showParams(placeholderParams(text), values);
      return true;
    }
    return false;
  }

  // The header: the graph served and, for a build's output directory, when it was built
  // and from how many documents (the server follows rebuilds, so it is asked again
  // after each query).
  function showGraphInfo(data) {
    const build = data.build;
    const built = build && build.built ? " · built " + build.built.replace("T", " ").replace("Z", " UTC") +
      " from " + build.documents + " documents" : "";
    const info = $("graph-info");
    info.textContent = data.graph + " · " + data.quads + " quads" + built + " · " +
      "time limit " + data.timeout + " s · row cap " + data.max_rows;
    if (build && build.generation) info.title = "generation " + build.generation;
  }

  async function refreshGraphInfo() {
    try {
      const response = await fetch("/api/queries", { headers: { "Accept": "application/json" } });
      if (response.ok) showGraphInfo(await response.json());
    } catch (err) { /* the header keeps what it showed */ }
  }

  async function loadLibrary() {
    try {
      const [lib, terms] = await Promise.all([
        fetch("/api/queries", { headers: { "Accept": "application/json" } }).then((r) => r.json()),
        fetch("/api/terms", { headers: { "Accept": "application/json" } }).then((r) => r.json()).catch(() => null),
      ]);
      if (terms) {
        window.zonekgEditor.setVocabulary(terms);
        ed.sync();
      }
      queries = lib.queries;
      buildTabs();
      if (lib.views) {
        $("views-link").href = lib.views;
        $("views-link").hidden = false;
      }
      showGraphInfo(lib);
      // A shared link opens with its query run.
      if (fromURL()) run();
      else share.href = pageURL();
      document.body.dataset.ready = "true";
    } catch (err) {
      status.textContent = "could not load the query library: " + err;
    }
  }

  runButton.addEventListener("click", run);
  editor.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      run();
    }
  });
  editor.addEventListener("input", () => {
    if (current && editor.value !== current.text) selectTab(null);
    else if (current) selectTab(current.name);
  });
  editor.addEventListener("change", updateLink);
  loadLibrary();
})();
