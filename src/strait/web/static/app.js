// strait dashboard: fetches the JSON API and updates the page in place (no reload).
// (one closure: the vega bundle defines short global names of its own)
(function () {
"use strict";
const LEVELS = ["NEUTRAL", "DIPLOMATIC", "ACCESS_NONCOMBAT", "ACCESS_COMBAT",
  "LOGISTICS_ISR", "DEFENSIVE_COMBAT", "FULL_COMBAT"];
const state = { scenario: null, current: null, pinned: null };

// a token given as #token=... stays in this tab only
(function () {
  const m = location.hash.match(/token=([^&]+)/);
  if (m) { sessionStorage.setItem("strait-token", decodeURIComponent(m[1])); history.replaceState(null, "", location.pathname); }
})();

function headers(json) {
  const h = {};
  const t = sessionStorage.getItem("strait-token");
  if (t) h["Authorization"] = "Bearer " + t;
  if (json) h["Content-Type"] = "application/json";
  return h;
}

async function api(path, body) {
  const opts = body === undefined ? { headers: headers(false) }
    : { method: "POST", headers: headers(true), body: JSON.stringify(body) };
  const r = await fetch(path, opts);
  if (!r.ok) {
    let msg = r.status + " " + r.statusText;
    try {
      const j = await r.json();
      msg = typeof j.detail === "string" ? j.detail
        : (j.detail || []).map(d => (d.loc || []).slice(1).join(".") + ": " + d.msg).join("; ");
    } catch (e) { /* not JSON */ }
    throw new Error(msg);
  }
  return r;
}

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const k of kids) if (k) e.append(k);
  return e;
}
const pct = x => (100 * x).toFixed(1) + " %";
const num = x => Math.abs(x) >= 10 ? Math.round(x).toLocaleString("en") : x.toFixed(1);
function setError(msg) { document.getElementById("error").textContent = msg || ""; }
function setStatus(msg) { document.getElementById("status").textContent = msg || ""; }

// ----------------------------------------------------------------- scenarios
async function loadScenarios() {
  const list = await (await api("/api/scenarios")).json();
  const sel = document.getElementById("scenario");
  sel.replaceChildren(...list.map(s => el("option", { value: s.name, text: s.name + " — " + s.title })));
  sel.value = list.some(s => s.name === "csis-base") ? "csis-base" : list[0].name;
  sel.onchange = () => loadScenario(sel.value);
  await loadScenario(sel.value);
}

async function loadScenario(name) {
  state.scenario = await (await api("/api/scenarios/" + encodeURIComponent(name))).json();
  renderScenario(state.scenario);
}

async function loadSources() {
  const box = document.getElementById("sources-body");
  const name = state.scenario ? state.scenario.name : document.getElementById("scenario").value;
  if (!document.getElementById("sources").open || box.dataset.scenario === name) return;
  box.dataset.scenario = name;
  if (name !== document.getElementById("scenario").value) {  // an uploaded scenario
    box.replaceChildren(el("p", { class: "note", text: "Your scenario's sources: save it as " +
      "upload.yaml and run strait scenario sources upload.yaml" }));
    return;
  }
  try {
    const rows = await (await api("/api/scenarios/" + encodeURIComponent(name) + "/sources")).json();
    box.replaceChildren(el("table", {},
      el("thead", {}, el("tr", {}, ...["number", "value", "unit", "source or assumption"].map(t => el("th", { text: t })))),
      el("tbody", {}, ...rows.map(r => el("tr", { "data-provenance": r.provenance },
        el("td", { text: r.path }), el("td", { text: r.value }), el("td", { text: r.unit }),
        el("td", { text: r.cited }))))));
  } catch (e) { setError(e.message); }
}

function renderScenario(s) {
  const src = document.getElementById("sources-body");
  if (src.dataset.scenario !== s.name) { src.replaceChildren(); delete src.dataset.scenario; }
  loadSources();
  document.getElementById("scenario-title").textContent = s.title + " · " + s.provenance;
  const box = document.getElementById("allies");
  box.replaceChildren(...s.allies.map(allyBlock));
}

function roleText(role) {
  if (role.level) return role.level;
  return "prior " + Object.entries(role.prior).map(([k, v]) => k + " " + Math.round(100 * v) + "%").join(", ");
}

function allyBlock(a) {
  const mode = el("select", { id: "mode-" + a.code, "aria-label": a.code + " role mode" },
    el("option", { value: "scenario", text: "as in the scenario (" + roleText(a.role) + ")" }),
    el("option", { value: "level", text: "a certain level" }),
    el("option", { value: "prior", text: "a prior (probability per level)" }));
  const level = el("select", { id: "level-" + a.code, "aria-label": a.code + " level" },
    ...a.ladder.map(r => el("option", { value: r.level, text: r.value + " " + r.level })));
  level.value = a.role.level || LEVELS[a.probabilities.indexOf(Math.max(...a.probabilities))];
  const meaning = el("div", { class: "meaning", id: "meaning-" + a.code });
  const prior = el("div", { class: "prior", id: "prior-" + a.code, hidden: "" },
    ...a.ladder.map((r, i) => el("label", { title: r.summary + " — " + r.legal_hook },
      r.level + " ", el("input", { type: "number", min: "0", max: "1", step: "0.05",
        id: "p-" + a.code + "-" + r.level, value: String(a.probabilities[i] || 0) }))));
  const showMeaning = (name) => {
    const r = a.ladder[LEVELS.indexOf(typeof name === "string" ? name : level.value)];
    meaning.replaceChildren(el("b", { text: r.value + " " + r.level + ": " }),
      document.createTextNode(r.summary + " "), el("br"),
      el("i", { text: "Legal basis: " + r.legal_hook }),
      el("br"), document.createTextNode("US access: " + r.access + " · own forces: " + r.participation));
  };
  const showMode = () => {
    level.hidden = mode.value !== "level";
    prior.hidden = mode.value !== "prior";
    meaning.hidden = mode.value === "scenario";
    if (mode.value === "level") showMeaning();
  };
  // in a prior, the meaning of the level being edited
  for (const r of a.ladder) {
    prior.querySelector("#p-" + a.code + "-" + r.level).addEventListener("focus", () => showMeaning(r.level));
  }
  level.onchange = showMeaning; mode.onchange = showMode;
  showMeaning(); showMode();
  return el("div", { class: "ally", id: "ally-" + a.code },
    el("h3", { text: a.name + " (" + a.code + ")" }), mode, " ", level, prior, meaning);
}

// ------------------------------------------------------------------- what-if
function request() {
  const roles = {};
  for (const a of state.scenario.allies) {
    const mode = document.getElementById("mode-" + a.code).value;
    if (mode === "level") roles[a.code] = { level: document.getElementById("level-" + a.code).value };
    if (mode === "prior") {
      const prior = {};
      for (const lv of LEVELS) {
        const v = parseFloat(document.getElementById("p-" + a.code + "-" + lv).value || "0");
        if (v > 0) prior[lv] = v;
      }
      roles[a.code] = { prior };
    }
  }
  const body = { scenario: document.getElementById("scenario").value,
    n: parseInt(document.getElementById("n").value, 10),
    seed: parseInt(document.getElementById("seed").value, 10), roles };
  const yaml = document.getElementById("yaml").value;
  if (yaml.trim()) body.scenario_yaml = yaml;
  return body;
}

async function run() {
  setError(""); setStatus("running…");
  const t0 = performance.now();
  try {
    const res = await (await api("/api/whatif", request())).json();
    state.current = res;
    renderResult(document.getElementById("current"), res, state.pinned ? "Current" : "Result");
    renderCompare();
    for (const id of ["pin", "dl-parquet", "dl-csv"]) document.getElementById(id).disabled = false;
    setStatus("answered in " + ((performance.now() - t0) / 1000).toFixed(2) + " s (engine " +
      res.elapsed_s.toFixed(2) + " s)");
  } catch (e) { setError(e.message); setStatus(""); }
}

function renderResult(box, r, title) {
  const rows = r.outcomes.map(o => el("tr", { "data-key": o.key },
    el("td", { text: o.label }), el("td", { class: "p", text: pct(o.probability) }),
    el("td", { text: pct(o.low) + " – " + pct(o.high) })));
  const outcomes = el("table", { class: "outcomes" },
    el("thead", {}, el("tr", {}, el("th", { text: "outcome" }), el("th", { text: "share" }),
      el("th", { text: "Wilson 95 %" }))), el("tbody", {}, ...rows));
  const lrows = r.losses.map(l => el("tr", { "data-col": l.column },
    el("td", { text: l.side + " " + l.label }), el("td", { text: num(l.quantiles.p50) }),
    el("td", { text: num(l.quantiles.p05) + " – " + num(l.quantiles.p95) }),
    el("td", { text: num(l.mean) })));
  const losses = el("table", { class: "losses" },
    el("thead", {}, el("tr", {}, el("th", { text: "losses" }), el("th", { text: "median" }),
      el("th", { text: "5–95 %" }), el("th", { text: "mean" }))), el("tbody", {}, ...lrows));
  const charts = ["outcomes", "losses", "timeline"].filter(k => r.charts[k]).map(k =>
    el("div", { class: "chart", id: box.id + "-chart-" + k }));
  box.replaceChildren(el("h2", { text: title }), el("p", { class: "note subtitle", text: r.subtitle }),
    el("p", { class: "note", text: "Same numbers from a terminal" +
      (r.command.includes("upload.yaml") ? " (save your YAML as upload.yaml):" : ":") }),
    el("code", { class: "cmd", text: r.command }), outcomes, ...charts.slice(0, 1), losses, ...charts.slice(1));
  for (const k of Object.keys(r.charts)) {
    const target = document.getElementById(box.id + "-chart-" + k);
    if (target && window.vegaEmbed) vegaEmbed(target, r.charts[k], { actions: false, renderer: "svg" });
  }
  box.hidden = false;
}

function renderCompare() {
  const cmp = document.getElementById("compare");
  if (!state.pinned || !state.current) { cmp.hidden = true; return; }
  const cur = Object.fromEntries(state.current.outcomes.map(o => [o.key, o]));
  const rows = state.pinned.outcomes.map(o => {
    const c = cur[o.key];
    const d = 100 * (c.probability - o.probability);
    return el("tr", { "data-key": o.key }, el("td", { text: o.label }),
      el("td", { text: pct(o.probability) }), el("td", { text: pct(c.probability) }),
      el("td", { text: (d >= 0 ? "+" : "") + d.toFixed(1) }));
  });
  cmp.querySelector("tbody").replaceChildren(...rows);
  cmp.hidden = false;
}

function pin() {
  if (!state.current) return;
  state.pinned = state.current;
  renderResult(document.getElementById("pinned"), state.pinned, "Pinned");
  renderResult(document.getElementById("current"), state.current, "Current");
  document.getElementById("unpin").hidden = false;
  renderCompare();
}

function unpin() {
  state.pinned = null;
  document.getElementById("pinned").hidden = true;
  document.getElementById("unpin").hidden = true;
  renderCompare();
}

async function download(fmt) {
  setError("");
  try {
    const blob = await (await api("/api/whatif/table?format=" + fmt, request())).blob();
    const a = el("a", { href: URL.createObjectURL(blob), download: "whatif." + fmt });
    document.body.append(a); a.click(); a.remove();
  } catch (e) { setError(e.message); }
}

async function validateYaml() {
  setError("");
  try {
    const s = await (await api("/api/scenarios/validate", { scenario_yaml: document.getElementById("yaml").value })).json();
    state.scenario = s; renderScenario(s);
    setStatus("scenario '" + s.name + "' is valid");
  } catch (e) { setError(e.message); }
}

// ------------------------------------------------------------------- studies
async function loadStudies() {
  const list = await (await api("/api/studies")).json();
  const sel = document.getElementById("study");
  sel.replaceChildren(...list.map(s => el("option", { value: String(s.id),
    text: "#" + s.id + " " + (s.name || "") + " · " + s.scenario + " · " + s.n_cells + " cells · " + s.status })));
  document.getElementById("studies-note").textContent = list.length ? ""
    : "No studies in this server's study file (make one with strait sweep, then strait serve --db FILE).";
}

async function openStudy() {
  setError("");
  const id = document.getElementById("study").value;
  if (!id) return;
  const box = document.getElementById("study-view");
  try {
    const s = await (await api("/api/studies/" + id)).json();
    const order = ["heatmap", "outcomes", "paired", "losses", "sensitivity", "voi", "deterrence", "discovery", "timeline"];
    const keys = order.filter(k => s.charts[k]).concat(Object.keys(s.charts).filter(k => !order.includes(k)));
    const charts = keys.map(k => el("figure", { class: "chart" }, el("div", { id: "study-chart-" + k }),
      el("figcaption", { class: "note", text: s.subtitle })));
    const box_rows = s.discovery_box.map(b => el("tr", {}, el("td", { text: b.input }), el("td", { text: b.range })));
    const links = el("p", {}, "Download: ",
      el("a", { href: "#", id: "study-csv", text: "cells (CSV)" }), " · ",
      el("a", { href: "#", id: "study-parquet", text: "cells (Parquet)" }), " · ",
      el("a", { href: "#", id: "study-report", text: "HTML report" }));
    box.replaceChildren(el("h3", { text: s.name }), el("p", { class: "note subtitle", text: s.subtitle }),
      el("p", { class: "note", text: "Stored analyses: " + (s.analyses.join(", ") || "none yet") }),
      el("p", { class: "note", text: "Reproduce:" }), el("code", { class: "cmd", text: s.commands.join("\n") }),
      links, ...charts,
      box_rows.length ? el("div", { id: "prim-box" }, el("h4", { text: "PRIM box" }),
        el("table", {}, el("thead", {}, el("tr", {}, el("th", { text: "input" }), el("th", { text: "range in the box" }))),
          el("tbody", {}, ...box_rows))) : null);
    for (const k of keys) vegaEmbed(document.getElementById("study-chart-" + k), s.charts[k], { actions: false, renderer: "svg" });
    const fetchLink = (path, name) => async ev => {
      ev.preventDefault();
      try {
        const blob = await (await api(path)).blob();
        const a = el("a", { href: URL.createObjectURL(blob), download: name });
        document.body.append(a); a.click(); a.remove();
      } catch (e) { setError(e.message); }
    };
    document.getElementById("study-csv").onclick = fetchLink("/api/studies/" + id + "/cells?format=csv", "study-" + id + ".csv");
    document.getElementById("study-parquet").onclick = fetchLink("/api/studies/" + id + "/cells?format=parquet", "study-" + id + ".parquet");
    document.getElementById("study-report").onclick = fetchLink("/api/studies/" + id + "/report", "study-" + id + ".html");
  } catch (e) { setError(e.message); }
}

// --------------------------------------------------------------------- start
document.getElementById("run").onclick = run;
document.getElementById("pin").onclick = pin;
document.getElementById("unpin").onclick = unpin;
document.getElementById("dl-parquet").onclick = () => download("parquet");
document.getElementById("dl-csv").onclick = () => download("csv");
document.getElementById("validate").onclick = validateYaml;
document.getElementById("sources").addEventListener("toggle", loadSources);
document.getElementById("open-study").onclick = openStudy;
(async function start() {
  try {
    const h = await (await api("/api/health")).json();
    document.getElementById("version").textContent = "strait " + h.version + " · at most " + h.max_n.toLocaleString("en") + " campaigns per what-if";
    await loadScenarios();
    await loadStudies();
    document.body.dataset.ready = "1";
  } catch (e) { setError(e.message); }
})();
})();
