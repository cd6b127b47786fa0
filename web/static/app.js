// The argmax dashboard: plain JavaScript over the server's read-only API.
// Routes are in the hash (#run/ID, #trial/KEY, #game/ID); the token the
// page was opened with (?token=) goes with every request.
"use strict";
(() => {
  const token = new URLSearchParams(location.search).get("token");
  const $ = (id) => document.getElementById(id);
  const SVGNS = "http://www.w3.org/2000/svg";

  function apiURL(path) {
    const u = new URL(path, location.origin);
    if (token) u.searchParams.set("token", token);
    return u.href;
  }

  async function fetchOK(path) {
    const r = await fetch(apiURL(path));
    if (!r.ok) throw new Error(`${path}: ${r.status} ${(await r.text()).trim()}`);
    return r;
  }
  const getJSON = async (path) => (await fetchOK(path)).json();
  const getText = async (path) => (await fetchOK(path)).text();

  // el builds an element: props "class" and "text" are special, the rest
  // are attributes; children are nodes or strings.
  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v);
    }
    e.append(...children);
    return e;
  }

  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function showError(err) {
    $("error").textContent = String((err && err.message) || err);
    $("error").hidden = false;
  }

  const when = (t) => (t && !t.startsWith("0001-") ? new Date(t).toLocaleString() : "–");
  const num = (v) => (v === null ? "–" : Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString());
  const countText = (r) => (r.done < 0 ? `? of ${r.planned}` : `${r.done} of ${r.planned}${r.done === r.planned ? " ✓" : ""}`);

  const views = ["home-view", "run-view", "trial-view", "game-view"];
  let current = { view: "home", id: "" };
  let lastRun = "";
  let latest = null; // the last progress event
  let shownDone = -1; // done trials of the run on screen when its report was loaded
  let loading = false; // the run's report and trials are being fetched
  let homeLoading = false; // the list of runs is being fetched for a new run

  async function route() {
    $("error").hidden = true;
    const [view, id] = location.hash.replace(/^#/, "").split("/");
    current = { view: view || "home", id: id ? decodeURIComponent(id) : "" };
    const show = { run: "run-view", trial: "trial-view", game: "game-view" }[current.view] || "home-view";
    for (const v of views) $(v).hidden = v !== show;
    try {
      if (current.view === "run") await showRun(current.id);
      else if (current.view === "trial") await showTrial(current.id);
      else if (current.view === "game") await showGame(current.id);
      else await showHome();
    } catch (err) {
      showError(err);
    }
  }

  // --- the list of runs and games

  async function showHome() {
    const [runs, games] = await Promise.all([getJSON("/api/runs"), getJSON("/api/games")]);
    const body = $("runs").tBodies[0];
    body.replaceChildren();
    for (const r of runs) {
      body.append(el("tr", { "data-run": r.id },
        el("td", {}, el("a", { href: "#run/" + r.id, text: r.name })),
        el("td", { text: r.kind }), el("td", { text: r.scale }), el("td", { text: String(r.seed) }),
        el("td", {}, el("progress", { max: Math.max(r.planned, 1), value: Math.max(r.done, 0) }), " ",
          el("span", { class: "count", text: countText(r) })),
        el("td", { text: String(r.invocations) }), el("td", { text: when(r.last) })));
    }
    $("no-runs").hidden = runs.length > 0;
    const list = $("games");
    list.replaceChildren();
    for (const g of games) {
      const what = g.error ? `not readable: ${g.error}` : `${g.game}, ${g.moves} moves, ${g.result ? "result: " + g.result : "unfinished"}${g.title ? " — " + g.title : ""}`;
      list.append(el("li", {}, g.error ? g.name : el("a", { href: "#game/" + g.id, text: g.name }), " ", el("span", { class: "note", text: what })));
    }
    $("no-games").hidden = games.length > 0;
    if (latest) applyProgress(latest);
  }

  // --- live progress

  function applyProgress(p) {
    latest = p;
    let unknown = false;
    for (const r of p.runs) {
      const row = document.querySelector(`#runs tr[data-run="${r.id}"]`);
      if (!row) unknown = true;
      else {
        const bar = row.querySelector("progress");
        bar.max = Math.max(r.planned, 1);
        bar.value = Math.max(r.done, 0);
        row.querySelector(".count").textContent = countText(r);
      }
      if (current.view === "run" && current.id === r.id) {
        setRunProgress(r);
        if (r.done !== shownDone && !loading) loadRunData(r.id, r.done).catch(showError);
      }
    }
    if (unknown && current.view === "home" && !homeLoading) {
      homeLoading = true;
      showHome().catch(showError).finally(() => { homeLoading = false; });
    }
    const recent = $("recent");
    recent.replaceChildren();
    for (const t of p.recent) {
      recent.append(el("li", {},
        el("a", { href: "#trial/" + t.key, text: `${t.experiment} ${t.point} seed #${t.seed_index}` }),
        ` ${t.status}, ${when(t.finished)}`));
    }
  }

  function listen() {
    const es = new EventSource(apiURL("/api/events"));
    es.addEventListener("open", () => { $("live").textContent = "live"; $("live").className = "live on"; });
    es.addEventListener("error", () => { $("live").textContent = "reconnecting…"; $("live").className = "live"; });
    es.addEventListener("progress", (ev) => applyProgress(JSON.parse(ev.data)));
  }

  // --- one run

  function setRunProgress(r) {
    $("run-progress").max = Math.max(r.planned, 1);
    $("run-progress").value = Math.max(r.done, 0);
    $("run-count").textContent = countText(r) + " trials done";
  }

  async function showRun(id) {
    lastRun = id;
    const runs = await getJSON("/api/runs");
    const r = runs.find((x) => x.id === id);
    if (!r) throw new Error(`no run ${id} in the database`);
    $("run-title").textContent = r.name;
    setRunProgress(r);
    const p = r.provenance || {};
    const meta = [["kind", r.kind === "claims" ? "claim suite: the comparison table" : "spec"], ["scale", r.scale], ["seed", String(r.seed)],
      ["experiments", r.experiments.join(", ") || "–"], ["invocations", `${r.invocations} (first ${when(r.first)}, last ${when(r.last)})`],
      ["build", [p.version, p.commit && "commit " + p.commit.slice(0, 12) + (p.modified ? " (modified)" : ""), p.go_version, p.platform].filter(Boolean).join(", ") || "–"],
      ["machine", p.cpu ? `${p.cpu}, ${p.cores} cores` : "–"]];
    $("run-meta").replaceChildren(...meta.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
    $("run-spec").textContent = r.spec;
    $("run-report").replaceChildren();
    $("trials").tBodies[0].replaceChildren();
    if (r.error) {
      $("run-report").append(el("p", { class: "error", text: r.error }));
      return;
    }
    await loadRunData(id, r.done);
  }

  // loadRunData shows the report and trials of run id as of done trials,
  // and again if more were done meanwhile.
  async function loadRunData(id, done) {
    loading = true;
    shownDone = done;
    try {
      const [frag, trials] = await Promise.all([getText(`/api/runs/${id}/report`), getJSON(`/api/runs/${id}/trials`)]);
      if (current.view !== "run" || current.id !== id) return;
      $("run-report").innerHTML = frag; // rendered and escaped by the server
      const body = $("trials").tBodies[0];
      body.replaceChildren();
      for (const t of trials) {
        const metrics = t.metrics.filter((m) => !m.decider).slice(0, 4).map((m) => `${m.name} ${num(m.value)}`).join(", ");
        body.append(el("tr", {},
          el("td", { text: t.experiment }),
          el("td", {}, el("a", { href: "#trial/" + t.key, text: t.point })),
          el("td", { text: "#" + t.seed_index }),
          el("td", { class: t.status === "done" ? "" : "failed", text: t.status + (t.error ? ": " + t.error : "") }),
          el("td", { text: when(t.finished) }),
          el("td", { text: metrics })));
      }
    } finally {
      loading = false;
      const r = latest && latest.runs.find((x) => x.id === id);
      if (r && r.done !== shownDone && current.view === "run" && current.id === id) loadRunData(id, r.done).catch(showError);
    }
  }

  // --- one trial

  async function showTrial(key) {
    const [t, curves] = await Promise.all([getJSON("/api/trials/" + key), getText(`/api/trials/${key}/curves`)]);
    $("trial-title").textContent = `${t.experiment}, seed #${t.seed_index}`;
    $("trial-back").href = lastRun ? "#run/" + lastRun : "#";
    const meta = [["key", t.key], ["status", t.status + (t.error ? ": " + t.error : "")], ["seed", String(t.seed)],
      ["started", when(t.started)], ["finished", when(t.finished)],
      ...Object.keys(t.params).sort().map((k) => ["param " + k, JSON.stringify(t.params[k])])];
    $("trial-meta").replaceChildren(...meta.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
    const body = $("trial-metrics").tBodies[0];
    body.replaceChildren();
    for (const m of t.metrics) {
      body.append(el("tr", {},
        el("td", { text: m.name + (m.timing ? " †" : "") }), el("td", { text: m.decider || "" }), el("td", { text: m.role || "" }),
        el("td", { text: String(m.step) }), el("td", { text: num(m.value) }), el("td", { text: String(m.steps.length) })));
    }
    const arts = $("trial-artefacts");
    arts.replaceChildren();
    if (t.artefacts.length) {
      arts.append(el("h2", { text: "Artefacts" }), el("ul", {}, ...t.artefacts.map((a) =>
        el("li", {}, el("a", { href: apiURL(`/api/trials/${key}/artefacts/${encodeURIComponent(a)}`), download: a, text: a })))));
    }
    $("trial-curves").innerHTML = curves; // rendered and escaped by the server
  }

  // --- the board viewer

  const boards = {
    connect4: { cols: 7, rows: 6, actions: 7, players: ["red", "yellow"], label: (a) => "column " + (a + 1) },
    tictactoe: { cols: 3, rows: 3, actions: 9, players: ["X", "O"], label: (a) => "cell " + (a + 1) },
  };
  let viewer = null; // {rec, ply}

  async function showGame(id) {
    const rec = await getJSON("/api/games/" + id);
    viewer = { rec, ply: 0 };
    $("game-title").textContent = rec.title || id;
    drawGame();
  }

  function step(to) {
    if (!viewer) return;
    viewer.ply = Math.max(0, Math.min(viewer.rec.moves.length, to));
    drawGame();
  }

  function drawGame() {
    const { rec, ply } = viewer;
    const b = boards[rec.game];
    const board = $("board");
    board.replaceChildren();
    if (rec.game === "connect4") {
      const S = 60, W = b.cols * S + 20, H = b.rows * S + 20;
      setSize(board, W, H);
      board.append(svg("rect", { class: "frame", x: 0, y: 0, width: W, height: H, rx: 10 }));
      const stacks = Array.from({ length: b.cols }, () => []);
      for (let i = 0; i < ply; i++) stacks[rec.moves[i].action].push(i);
      for (let c = 0; c < b.cols; c++) {
        for (let r = 0; r < b.rows; r++) {
          const i = stacks[c][r];
          const at = { cx: 10 + S * c + S / 2, cy: 10 + S * (b.rows - 1 - r) + S / 2, r: S * 0.4 };
          const cls = i === undefined ? "hole" : `stone p${i % 2}${i === ply - 1 ? " last" : ""}`;
          board.append(svg("circle", { ...at, class: cls }));
        }
      }
    } else {
      const S = 90, W = b.cols * S, H = b.rows * S;
      setSize(board, W, H);
      for (let a = 0; a < b.actions; a++) {
        board.append(svg("rect", { class: "cell", x: (a % 3) * S, y: Math.floor(a / 3) * S, width: S, height: S }));
      }
      for (let i = 0; i < ply; i++) {
        const a = rec.moves[i].action;
        board.append(svg("text", { class: `mark stone p${i % 2}`, x: (a % 3) * S + S / 2, y: Math.floor(a / 3) * S + S / 2 }, b.players[i % 2]));
      }
    }
    const n = rec.moves.length;
    $("ply").textContent = `move ${ply} of ${n}`;
    $("first").disabled = $("prev").disabled = ply === 0;
    $("next").disabled = $("last").disabled = ply === n;
    const m = ply < n ? rec.moves[ply] : null;
    if (m) {
      $("move-info").textContent = `${b.players[ply % 2]} to move, plays ${b.label(m.action)}; the net values the position ${m.value.toFixed(2)} for the side to move.`;
    } else {
      const result = { first: `${b.players[0]} won`, second: `${b.players[1]} won`, draw: "a draw" }[rec.result] || "the game was not finished";
      $("move-info").textContent = `End of the game: ${result}.`;
    }
    drawBars(b, m);
  }

  function setSize(node, w, h) {
    node.setAttribute("viewBox", `0 0 ${w} ${h}`);
    node.setAttribute("width", w);
    node.setAttribute("height", h);
  }

  function drawBars(b, m) {
    const BW = 48, H = 150, top = 16, W = b.actions * BW + 20;
    const bars = $("bars");
    bars.replaceChildren();
    setSize(bars, W, top + H + 30);
    if (!m) return;
    for (let a = 0; a < b.actions; a++) {
      const x = 10 + a * BW;
      for (const [k, share, dx] of [["visits", m.visits, 4], ["prior", m.prior, 24]]) {
        if (!share) continue;
        const h = Math.max(share[a] * H, share[a] > 0 ? 1 : 0);
        const bar = svg("rect", { class: `bar ${k}`, x: x + dx, y: top + H - h, width: 18, height: h });
        bar.append(svg("title", {}, `${b.label(a)}: ${k} ${(100 * share[a]).toFixed(1)}%`));
        bars.append(bar);
      }
      if (a === m.action) bars.append(svg("rect", { class: "chosen", x: x + 1, y: top - 4, width: BW - 4, height: H + 8 }));
      bars.append(svg("text", { x: x + BW / 2, y: top + H + 20, "text-anchor": "middle" }, String(a + 1)));
    }
  }

  $("first").addEventListener("click", () => step(0));
  $("prev").addEventListener("click", () => step(viewer.ply - 1));
  $("next").addEventListener("click", () => step(viewer.ply + 1));
  $("last").addEventListener("click", () => step(Infinity));
  document.addEventListener("keydown", (ev) => {
    if (current.view !== "game" || !viewer) return;
    const to = { ArrowLeft: viewer.ply - 1, ArrowRight: viewer.ply + 1, Home: 0, End: Infinity }[ev.key];
    if (to !== undefined) step(to);
  });

  window.addEventListener("hashchange", route);
  route();
  listen();
})();
