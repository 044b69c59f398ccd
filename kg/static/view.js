/* zonekg views: tooltips, search, legend, physics off once stable. Inlined by kg/viz.py.
 * Everything that comes from articles (names, sentences) is put into the page as
 * text (textContent, or vis-network's plain-string tooltips) and never as HTML. */
(function () {
  "use strict";
  var page = JSON.parse(document.getElementById("zonekg-data").textContent);
  var state = window.zonekg = {
    page: page, network: null, nodes: null, edges: null,
    stabilized: false, drawn: false, tStabilized: null, tDrawn: null, search: search
  };

  function norm(s) {
    return String(s || "").normalize("NFKC").replace(/\s+/g, "").toLowerCase();
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // A page of this folder (zone-<label>.html: no path, no scheme) and a kg serve entity path.
  var PAGE = /^[^\/\\:?#%]+\.html$/;
  var ENTITY = /^\/id\/[A-Za-z0-9_.\/-]+$/;

  function served() {
    return window.location.protocol === "http:" || window.location.protocol === "https:";
  }

  // Under kg serve, the selected node's entity page (/id/…) is a click away.
  function showEntityLink(n) {
    var a = document.getElementById("zonekg-entity");
    if (!a) return;
    if (n && served() && ENTITY.test(n.entity || "")) {
      a.setAttribute("href", n.entity);
      a.textContent = "实体页面 entity page: " + n.label.split("\n")[0] + " →";
      a.hidden = false;
    } else {
      a.hidden = true;
    }
  }

  function status(text, miss) {
    var s = document.getElementById("zonekg-status");
    s.textContent = text;
    s.className = miss ? "miss" : "";
  }

  // Find a node by any of its names (label or alias): exact match first, then
  // prefix, then substring; the shortest name wins a tie. Selects and focuses it.
  function search(query) {
    var q = norm(query);
    if (!q || !state.nodes) return null;
    var best = null;
    state.nodes.forEach(function (n) {
      var names = n.names || [n.label];
      for (var i = 0; i < names.length; i++) {
        var k = norm(names[i]);
        var score = k === q ? 0 : k.indexOf(q) === 0 ? 1 : k.indexOf(q) >= 0 ? 2 : -1;
        if (score < 0) continue;
        if (!best || score < best.score || (score === best.score && k.length < best.len)) {
          best = { id: n.id, score: score, len: k.length, name: names[i], label: String(n.label).split("\n")[0] };
        }
      }
    });
    if (!best) {
      status("没有找到 “" + query + "” / not found", true);
      return null;
    }
    state.network.selectNodes([best.id]);
    state.network.focus(best.id, { scale: 1.3, animation: false });
    status("找到 found: " + best.label + (best.name !== best.label ? "（" + best.name + "）" : ""));
    state.selected = best.id;
    showEntityLink(state.nodes.get(best.id));
    return best.id;
  }

  function buildPanel() {
    document.getElementById("zonekg-title").textContent = page.title;
    document.title = page.title + " · zonekg";
    var legend = document.getElementById("zonekg-legend");
    var lg = page.legend || {};
    if (lg.clusters && lg.clusters.length) {
      legend.appendChild(el("h2", null, page.kind === "overview" ? "产业链集群 clusters" : "颜色：产业链集群"));
      lg.clusters.forEach(function (c) {
        var row = el("div", "zonekg-item");
        var sw = el("span", "zonekg-swatch");
        sw.style.background = /^#[0-9a-fA-F]{6}$/.test(c.color) ? c.color : "#ccc";
        row.appendChild(sw);
        row.appendChild(el("span", null, c.label));
        legend.appendChild(row);
      });
    }
    if (lg.types && lg.types.length) {
      legend.appendChild(el("h2", null, "形状：类型"));
      lg.types.forEach(function (t) {
        var row = el("div", "zonekg-item");
        row.appendChild(el("span", "zonekg-glyph", t.glyph));
        row.appendChild(el("span", null, t.label));
        legend.appendChild(row);
      });
    }
    if (lg.relations && lg.relations.length) {
      legend.appendChild(el("h2", null, "连线：关系"));
      legend.appendChild(el("div", "zonekg-note", lg.relations.join(" · ")));
    }
    if (lg.note) legend.appendChild(el("div", "zonekg-note", lg.note));
    var links = document.getElementById("zonekg-links");
    if (page.links && page.links.length) {
      links.appendChild(el("h2", null, page.kind === "overview" ? "开发区页面 zones" : "其他页面"));
      page.links.forEach(function (l) {
        if (!PAGE.test(l.href)) return;
        var a = el("a", null, l.label);
        a.setAttribute("href", encodeURIComponent(l.href));
        links.appendChild(a);
      });
    }
    var input = document.getElementById("zonekg-q");
    document.getElementById("zonekg-go").addEventListener("click", function () { search(input.value); });
    input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(input.value); });
    input.addEventListener("change", function () { search(input.value); });
  }

  function fillNames(nodes) {
    var list = document.getElementById("zonekg-names");
    var seen = {};
    var frag = document.createDocumentFragment();
    nodes.forEach(function (n) {
      (n.names || [n.label]).forEach(function (name) {
        if (seen[name]) return;
        seen[name] = true;
        var o = document.createElement("option");
        o.value = name;
        frag.appendChild(o);
      });
    });
    list.appendChild(frag);
  }

  // Each node's box: its shape and its label together, relative to the node's centre.
  function boxes(network) {
    var out = [];
    network.body.nodeIndices.forEach(function (id) {
      var n = network.body.nodes[id];
      var b = n.shape.boundingBox, s = n.labelModule.size;
      var l = Math.min(b.left, s.width ? s.left : b.left), t = Math.min(b.top, s.height ? s.top : b.top);
      var r = Math.max(b.right, s.width ? s.left + s.width : b.right);
      var btm = Math.max(b.bottom, s.height ? s.top + s.height : b.bottom);
      out.push({ id: id, node: n, l: l - n.x, t: t - n.y, r: r - n.x, b: btm - n.y });
    });
    return out;
  }

  // After the force layout, labels (long Chinese names) still overlap around a busy
  // zone: push overlapping pairs apart along the axis where they overlap least, a
  // little at a time, until none do. Deterministic: same order, same steps. The page's
  // own zone (the first node) stays put. Returns whether anything moved.
  function separateLabels(network) {
    var bx = boxes(network);
    if (bx.length < 2 || bx.length > 400) return false;
    var GAP = 10, moved = false;
    for (var round = 0; round < 400; round++) {
      var any = false;
      for (var i = 0; i < bx.length; i++) {
        for (var j = i + 1; j < bx.length; j++) {
          var a = bx[i], b = bx[j];
          var ox = Math.min(a.node.x + a.r, b.node.x + b.r) - Math.max(a.node.x + a.l, b.node.x + b.l);
          var oy = Math.min(a.node.y + a.b, b.node.y + b.b) - Math.max(a.node.y + a.t, b.node.y + b.t);
          if (ox <= -GAP || oy <= -GAP) continue;
          any = true;
          var wa = i === 0 ? 0 : 0.5, wb = i === 0 ? 1 : 0.5;
          if (ox + GAP < oy + GAP) {
            var sx = (a.node.x + (a.l + a.r) / 2) <= (b.node.x + (b.l + b.r) / 2) ? 1 : -1;
            a.node.x -= sx * (ox + GAP) * wa; b.node.x += sx * (ox + GAP) * wb;
          } else {
            var sy = (a.node.y + (a.t + a.b) / 2) <= (b.node.y + (b.t + b.b) / 2) ? 1 : -1;
            a.node.y -= sy * (oy + GAP) * wa; b.node.y += sy * (oy + GAP) * wb;
          }
        }
      }
      if (!any) break;
      moved = true;
    }
    if (moved) {
      bx.forEach(function (x) { network.moveNode(x.id, x.node.x, x.node.y); });
    }
    return moved;
  }

  // Called by the pyvis template right after `new vis.Network(...)`.
  window.zonekgAttach = function (network, nodes, edges) {
    state.network = network;
    state.nodes = nodes;
    state.edges = edges;
    // Plain-string titles: vis-network renders them with innerText.
    var nt = [];
    nodes.forEach(function (n) { if (n.tip) nt.push({ id: n.id, title: n.tip.join("\n") }); });
    nodes.update(nt);
    var et = [];
    edges.forEach(function (e) { if (e.tip) et.push({ id: e.id, title: e.tip.join("\n") }); });
    edges.update(et);
    fillNames(nodes);

    function done() {
      if (state.stopping || state.stabilized) return;
      state.stopping = true;
      network.setOptions({ physics: { enabled: false } });
      // Label sizes are known once drawn: then move nodes until no two labels overlap.
      network.once("afterDrawing", function () {
        state.moved = separateLabels(network);
        if (state.moved) network.fit({ animation: false });
        state.stabilized = true;
        state.tStabilized = performance.now();
        document.body.setAttribute("data-stabilized", "true");
      });
      network.redraw();
    }
    network.once("stabilizationIterationsDone", done);
    network.once("stabilized", done);
    network.once("afterDrawing", function () {
      state.drawn = true;
      state.tDrawn = performance.now();
      // A page laid out in advance (no physics) is ready once it is drawn.
      if (page.physics === false) done();
    });
    network.on("doubleClick", function (params) {
      if (!params.nodes.length) return;
      var n = nodes.get(params.nodes[0]);
      if (n && n.href && PAGE.test(n.href)) window.location.href = encodeURIComponent(n.href);
      else if (n && served() && ENTITY.test(n.entity || "")) window.location.href = n.entity;
    });
    network.on("selectNode", function (params) { showEntityLink(nodes.get(params.nodes[0])); });
    network.on("deselectNode", function () { showEntityLink(null); });
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", buildPanel);
  else buildPanel();
})();
