// The zonekg query page: pick a library query, fill its parameters, run it
// against /sparql on this server, show the result as a table.
// No framework, no network access beyond this server.
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
  const NUMERIC = new Set(["integer", "decimal", "double", "float", "long", "int"].map(
    (t) => PREFIXES.xsd + t));

  const $ = (id) => document.getElementById(id);
  const library = $("library");
  const editor = $("query");
  const paramsBox = $("params");
  const question = $("question");
  const runButton = $("run");
  const status = $("status");
  const errorBox = $("error");
  const table = $("results");
  const graphOut = $("graph-output");
  let queries = [];

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
      td.textContent = compact(term.value);
      td.title = term.value;
      td.className = "iri";
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

  function paramValues() {
    const values = {};
    for (const input of paramsBox.querySelectorAll("input[data-param]")) {
      if (input.value.trim() !== "") values[input.dataset.param] = input.value.trim();
    }
    return values;
  }

  function requestBody() {
    const body = new URLSearchParams();
    body.set("query", editor.value);
    for (const [k, v] of Object.entries(paramValues())) body.set("param." + k, v);
    return body;
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

  function showParams(q) {
    paramsBox.replaceChildren();
    for (const p of (q ? q.params : [])) {
      const label = document.createElement("label");
      label.className = "param";
      const name = document.createElement("span");
      name.textContent = p.name + " (" + p.type + ")";
      const input = document.createElement("input");
      input.type = "text";
      input.dataset.param = p.name;
      input.placeholder = p.description;
      input.title = p.description;
      input.addEventListener("keydown", (ev) => { if (ev.key === "Enter") run(); });
      label.append(name, input);
      paramsBox.append(label);
    }
  }

  function pick(name) {
    const q = queries.find((x) => x.name === name);
    if (!q) {
      question.textContent = "";
      showParams(null);
      return;
    }
    editor.value = q.text;
    question.textContent = q.question_zh + " — " + q.question_en;
    showParams(q);
    clearResults();
    status.textContent = "";
  }

  async function run() {
    clearResults();
    runButton.disabled = true;
    status.textContent = "运行中… running…";
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
        render(JSON.parse(text));
        const n = table.tBodies[0].rows.length;
        if (typeof JSON.parse(text).boolean === "boolean") {
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

  async function loadLibrary() {
    try {
      const response = await fetch("/api/queries", { headers: { "Accept": "application/json" } });
      const data = await response.json();
      queries = data.queries;
      for (const q of queries) {
        const opt = document.createElement("option");
        opt.value = q.name;
        opt.textContent = q.name + " — " + q.question_zh;
        opt.title = q.question_en;
        library.append(opt);
      }
      if (data.views) {
        $("views-link").href = data.views;
        $("views-link").hidden = false;
      }
      $("graph-info").textContent = data.graph + " · " + data.quads + " quads · " +
        "time limit " + data.timeout + " s · row cap " + data.max_rows;
    } catch (err) {
      status.textContent = "could not load the query library: " + err;
    }
  }

  library.addEventListener("change", () => pick(library.value));
  runButton.addEventListener("click", run);
  editor.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      run();
    } else if (ev.key === "Tab" && !ev.shiftKey) {
      ev.preventDefault();
      const s = editor.selectionStart;
      editor.setRangeText("  ", s, editor.selectionEnd, "end");
    }
  });
  loadLibrary();
})();
