// Tccg editor: the review player (keyboard, preloading, Web Audio gain) and small helpers.
// The keep -> next-clip path stays on the client: the next clip is already loaded in a hidden <video>,
// it becomes visible and plays at once, and the decision goes to .NET without waiting for it.

const POOL = 4;          // the current clip plus three preloaded ones
const LOW_WATER = 4;     // ask .NET for more clips when fewer than this are queued
let active = null;

// The editor's limits (minimum clip length, end-of-clip slack, volume range …) come from the server (EditorLimits in
// Tccg.Core), handed in by the page: nothing here repeats them.
let limits = { minimumClipSeconds: 0, durationSlack: 0, minVolume: 0, maxVolume: 1 };

export function startReview(dotnet, stage, meta, clips, kept, keptSeconds, editorLimits) {
  if (editorLimits) limits = editorLimits;
  stopReview();
  active = new Review(dotnet, stage, meta, kept, keptSeconds);
  active.append(clips, true);
  return true;
}

export function appendClips(clips, exhausted) {
  if (!active) return;
  active.exhausted = exhausted;
  active.append(clips, false);
}

export function stopReview() {
  if (active) active.destroy();
  active = null;
}

export function copyText(text) {
  return navigator.clipboard ? navigator.clipboard.writeText(text).then(() => true, () => false) : false;
}

export function reviewStats() { return active ? active.stats : []; }

const fmt = s => (s == null || isNaN(s)) ? "—" : `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, "0")}`;

class Review {
  constructor(dotnet, stage, meta, kept, keptSeconds) {
    this.dotnet = dotnet; this.stage = stage; this.meta = meta;
    this.queue = []; this.history = []; this.seen = new Set();
    this.kept = kept; this.keptSeconds = keptSeconds;
    this.fetching = false; this.exhausted = false; this.stats = []; this.audio = null; this.muted = false;
    this.pool = [];
    for (let i = 0; i < POOL; i++) {
      const v = document.createElement("video");
      v.preload = "auto"; v.playsInline = true; v.loop = false; v.dataset.clip = "";
      v.addEventListener("ended", () => { if (v.classList.contains("current")) this.toggle(); });
      v.addEventListener("timeupdate", () => { if (v.classList.contains("current")) this.onTime(v); });
      stage.appendChild(v);
      this.pool.push(v);
    }
    this.empty = stage.querySelector(".empty");
    this.onKey = e => this.key(e);
    document.addEventListener("keydown", this.onKey);
    window.tccgReview = this;
  }

  destroy() {
    this.flush();
    document.removeEventListener("keydown", this.onKey);
    for (const v of this.pool) { v.pause(); v.removeAttribute("src"); v.load(); v.remove(); }
    if (this.audio) this.audio.close();
    if (window.tccgReview === this) window.tccgReview = null;
  }

  get current() { return this.queue[0] || null; }

  append(clips, first) {
    for (const c of clips) {
      if (this.seen.has(c.id)) continue;
      this.seen.add(c.id);
      this.queue.push({ ...c, trimIn: null, trimOut: null, volume: 1 });
    }
    this.fetching = false;
    this.assign();
    if (first || !this.showing) this.show(null);
  }

  // Give each of the first POOL clips a <video>, loading those that are new.
  assign() {
    const wanted = this.queue.slice(0, POOL);
    const ids = new Set(wanted.map(c => String(c.id)));
    const free = this.pool.filter(v => !ids.has(v.dataset.clip));
    for (const c of wanted) {
      if (this.pool.some(v => v.dataset.clip === String(c.id))) continue;
      const v = free.shift();
      v.pause(); v.classList.remove("current");
      v.dataset.clip = String(c.id); v.src = c.src; v.load();
    }
    for (const v of free) { if (!v.classList.contains("current")) { v.dataset.clip = ""; v.removeAttribute("src"); } }
  }

  // After a keep or skip: the freed <video> starts loading the next clip to preload only once the clip now shown has
  // presented its first frame (or after 250 ms), so the two do not compete for the network and the decoder.
  // The decision goes to .NET then too (in order with undos: see post/flush), so the server's work does not compete
  // with the first frame either.
  assignSoon() {
    const v = this.videoOf(this.current);
    let done = false;
    const run = () => { if (!done) { done = true; this.assign(); this.flush(); } };
    if (v && v.requestVideoFrameCallback) v.requestVideoFrameCallback(run);
    setTimeout(run, 250);
  }

  videoOf(c) { return c ? this.pool.find(v => v.dataset.clip === String(c.id)) : null; }

  show(t0) {
    for (const v of this.pool) { if (v.classList.contains("current")) { v.pause(); v.classList.remove("current"); } }
    const c = this.current;
    this.showing = c;
    this.empty.hidden = !!c;
    if (!c) { this.announce(null, null); this.renderMeta(); this.maybeFetch(); return; }
    if (!this.videoOf(c)) this.assign(); // keeps faster than the deferred preloading
    const v = this.videoOf(c);
    v.classList.add("current");
    const start = c.trimIn ?? 0;
    if (Math.abs(v.currentTime - start) > 0.05) v.currentTime = start;
    this.applyGain(v, c.volume);
    if (window.tccgFirstFrame === undefined && v.requestVideoFrameCallback) {
      window.tccgFirstFrame = null; // time from navigation start to the first frame shown (for bench/editor)
      v.requestVideoFrameCallback(() => { window.tccgFirstFrame = performance.now(); });
    }
    if (t0 != null && v.requestVideoFrameCallback) {
      v.requestVideoFrameCallback(() => { const ms = performance.now() - t0; this.stats.push(ms); });
    }
    // Start the picture first; the scrub bar and the side panel follow (their work never delays the first frame).
    const p = v.play();
    // Only the autoplay policy's refusal plays it again, muted: a play() cut short by a pause (the user pausing or
    // seeking at once) must not start the clip again behind their back.
    if (p && p.catch) p.catch(e => { if (e?.name !== "NotAllowedError") return; v.muted = true; this.muted = true; this.hint("Press any key for sound"); v.play().catch(() => {}); });
    this.announce(c, v);
    this.renderMeta();
    this.maybeFetch();
  }

  // The scrub bar (scrubbar.js) follows the clip shown; it edits c.trimIn / c.trimOut in place.
  announce(c, v) {
    document.dispatchEvent(new CustomEvent("tccg:clip", { detail: { clip: c, video: v, queue: this.queue, changed: () => this.renderMeta() } }));
  }

  maybeFetch() {
    if (this.fetching || this.exhausted || this.queue.length >= LOW_WATER) return;
    this.fetching = true;
    this.dotnet.invokeMethodAsync("MoreClips").catch(e => { this.fetching = false; this.toast(String(e)); });
  }

  key(e) {
    const t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (this.muted) { for (const v of this.pool) v.muted = false; this.muted = false; this.hint(null); }
    this.ensureAudio();
    const k = e.key;
    const handled = {
      "k": () => this.decide("keep", e.timeStamp), "K": () => this.decide("keep", e.timeStamp), "ArrowRight": () => this.decide("keep", e.timeStamp),
      "s": () => this.decide("skip", e.timeStamp), "S": () => this.decide("skip", e.timeStamp), "ArrowLeft": () => this.decide("skip", e.timeStamp),
      "u": () => this.undo(), "U": () => this.undo(),
      " ": () => this.toggle(),
      "[": () => this.trim("in"), "]": () => this.trim("out"),
      "ArrowUp": () => this.volume(+0.1), "ArrowDown": () => this.volume(-0.1),
      "?": () => this.help(),
      "Escape": () => this.help(false),
    }[k];
    if (!handled) return;
    e.preventDefault();
    handled();
  }

  decide(decision, t0) {
    const c = this.current;
    if (!c) return;
    this.queue.shift();
    this.history.push({ clip: c, decision });
    if (decision === "keep") { this.kept++; this.keptSeconds += this.length(c); }
    this.show(t0 ?? performance.now());
    this.assignSoon();
    this.flash(decision);
    this.post("Decide", [c.id, decision, c.trimIn, c.trimOut, c.volume], "Could not save the decision: ");
  }

  // Decisions and undos reach .NET in the order they were made.
  post(method, args, failure) { (this.outbox ||= []).push([method, args, failure]); }

  flush() {
    for (const [method, args, failure] of (this.outbox || []).splice(0)) {
      this.dotnet.invokeMethodAsync(method, ...args).catch(e => this.toast(failure + e));
    }
  }

  undo() {
    const last = this.history.pop();
    if (!last) { this.toast("Nothing to undo."); return; }
    const c = last.clip;
    if (last.decision === "keep") { this.kept--; this.keptSeconds -= this.length(c); }
    this.queue.unshift(c);
    this.assign();
    this.show(null);
    this.flash("undo");
    this.post("Undo", [c.id], "Could not undo: ");
    this.flush();
  }

  toggle() {
    const v = this.videoOf(this.current);
    if (!v) return;
    if (v.paused) { if (v.ended || (this.current.trimOut != null && v.currentTime >= this.current.trimOut)) v.currentTime = this.current.trimIn ?? 0; v.play().catch(() => {}); }
    else v.pause();
  }

  trim(which) {
    const c = this.current, v = this.videoOf(c);
    if (!c || !v) return;
    const at = Math.round(v.currentTime * 10) / 10;
    if (which === "in") {
      const min = limits.minimumClipSeconds;
      if (c.trimOut != null && at >= c.trimOut - min) { this.toast(`Trim in must be at least ${min} s before trim out.`); return; }
      c.trimIn = at > 0 ? at : null;
    } else {
      const min = limits.minimumClipSeconds;
      if (at <= (c.trimIn ?? 0) + min) { this.toast(`Trim out must be at least ${min} s after trim in.`); return; }
      c.trimOut = at < c.duration - limits.durationSlack ? at : null;
    }
    this.renderMeta();
  }

  volume(delta) {
    const c = this.current;
    if (!c) return;
    c.volume = Math.min(limits.maxVolume, Math.max(limits.minVolume, Math.round((c.volume + delta) * 10) / 10));
    this.applyGain(this.videoOf(c), c.volume);
    this.renderMeta();
  }

  ensureAudio() {
    if (this.audio || !window.AudioContext) return;
    try {
      this.audio = new AudioContext();
      for (const v of this.pool) {
        const source = this.audio.createMediaElementSource(v);
        v._gain = this.audio.createGain();
        source.connect(v._gain).connect(this.audio.destination);
      }
      const c = this.current;
      if (c) this.applyGain(this.videoOf(c), c.volume);
    } catch { this.audio = null; }
  }

  applyGain(v, volume) {
    if (!v) return;
    if (v._gain) { v.volume = 1; v._gain.gain.value = volume; }
    else v.volume = Math.min(1, volume);
  }

  length(c) { return Math.max(0, (c.trimOut ?? c.duration) - (c.trimIn ?? 0)); }

  onTime(v) {
    const c = this.current;
    if (c && c.trimOut != null && v.currentTime >= c.trimOut && !v.paused) v.pause();
    const pos = this.meta.querySelector("[data-f=position]");
    if (pos) pos.textContent = `${fmt(v.currentTime)} / ${fmt(c ? c.duration : null)}`;
  }

  renderMeta() {
    const c = this.current, m = this.meta;
    const set = (f, text) => { const el = m.querySelector(`[data-f=${f}]`); if (el) { el.textContent = text; el.title = text; } };
    set("title", c ? c.title || "(no title)" : "No more clips to review");
    set("streamer", c ? c.streamer : "—");
    set("views", c ? c.views.toLocaleString("en-US") : "—");
    set("date", c ? c.date : "—");
    set("duration", c ? fmt(c.duration) : "—");
    set("trim", c ? `${fmt(c.trimIn ?? 0)} → ${fmt(c.trimOut ?? c.duration)}` : "—");
    set("volume", c ? `${Math.round(c.volume * 100)} %` : "—");
    set("kept", String(this.kept));
    set("length", fmt(this.keptSeconds));
    set("queued", String(this.queue.length));
    m.dataset.clip = c ? String(c.id) : "";
  }

  flash(kind) {
    const el = this.stage.querySelector(".flash");
    if (!el) return;
    el.className = `flash ${kind} show`; el.textContent = kind.toUpperCase();
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => el.classList.remove("show"), 350);
  }

  hint(text) {
    const el = this.stage.querySelector(".hint");
    if (!el) return;
    el.hidden = !text; el.textContent = text || "";
  }

  help(show) {
    const el = document.getElementById("review-help");
    if (el) el.hidden = show === undefined ? !el.hidden : !show;
  }

  toast(message) { this.dotnet.invokeMethodAsync("Toast", message).catch(() => {}); }
}

// Timeline helpers.
export function currentTime(video) { return video ? video.currentTime : 0; }

export function seek(video, seconds) { if (video) { video.currentTime = seconds; } }

// Uploads a file through the assets API (its validation with ffprobe applies); returns {ok, message}.
export async function uploadAsset(input, kind) {
  const file = input.files && input.files[0];
  if (!file) return { ok: false, message: "Choose a file first." };
  try {
    const session = await fetch("api/v1/auth/session", { credentials: "same-origin" }).then(r => r.json());
    const form = new FormData();
    form.append("kind", kind);
    form.append("file", file, file.name);
    const response = await fetch("api/v1/assets", { method: "POST", body: form, credentials: "same-origin", headers: { "X-CSRF-TOKEN": session.csrfToken } });
    if (response.ok) { input.value = ""; const asset = await response.json(); return { ok: true, message: `Uploaded ${file.name}.`, id: asset.id ?? null }; }
    let detail = `${response.status} ${response.statusText}`;
    try { const problem = await response.json(); detail = [problem.title, problem.detail].filter(Boolean).join(" — ") || detail; } catch { }
    return { ok: false, message: `Upload failed: ${detail}` };
  } catch (e) {
    return { ok: false, message: `Upload failed: ${e}` };
  }
}
