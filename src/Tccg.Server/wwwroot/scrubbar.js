// Tccg scrub bar: a bar the width of the player with the clip's waveform and filmstrip behind it, the trimmed
// range, two draggable trim handles and the playhead. Three ARIA sliders ("Playhead", "Trim in", "Trim out",
// seconds). Keys: J/L +-1 s (Shift +-5 s), ,/. one frame (pauses), I/O trim at the playhead, Home/End go to trim
// in/out, M mute, P play the trimmed range, </> speed 1x/1.5x/2x (pitch kept). A focused slider moves by a frame
// per arrow (Shift: 1 s); Esc gives the focus back to the player.
//
// Review mode: the review player (editor.js) announces each clip it shows with a "tccg:clip" event on document
// ({clip, video, queue, changed}); the bar edits clip.trimIn / clip.trimOut in place (null = the clip's start / end),
// which the keep decision saves. Other pages call bindScrubBar(root, {clip, video, changed, commit}); "commit" is
// called (coalesced, one at a time) when a trim is done changing: a handle dropped, an arrow on a focused handle, I / O.
// The timeline binds one bar per item with bindItem (ScrubBar.razor, Mode "item"), which saves through .NET. Outside
// the review page a bar's letter keys apply only while the focus is in that bar.

const SPEEDS = [1, 1.5, 2];
const MIN_GAP = 0.5;       // seconds between trim in and trim out, as the review's [ and ] keys require
const PREFETCH = 3;        // waveforms and filmstrips fetched ahead for the next clips in the queue
const bars = new Set();

export function mountScrubBar(root, options) {
  unmountScrubBar(root);
  const bar = new ScrubBar(root, options || {});
  root._scrub = bar;
  bars.add(bar);
  return true;
}

export function bindScrubBar(root, target) { if (root && root._scrub) root._scrub.bind(target); }

// Timeline items (ScrubBar.razor, Mode "item"): binds the bar to a clip and a <video> (a CSS selector), or takes
// the trims the server saved when it already shows that clip. Trims made on the bar are saved through
// dotnet.Trimmed(trimIn, trimOut) (null = the clip's start / end).
export function bindItem(root, clip, video, dotnet) {
  const bar = root && root._scrub;
  if (!bar) return false;
  if (bar.clip && bar.clip.id === clip.id) {
    if (!bar.dragging && !bar.pending) { bar.clip.trimIn = clip.trimIn; bar.clip.trimOut = clip.trimOut; bar.clip.duration = clip.duration; bar.update(); }
    return true;
  }
  const v = typeof video === "string" ? document.querySelector(video) : video;
  bar.bind({ clip: { ...clip }, video: v, commit: c => dotnet.invokeMethodAsync("Trimmed", c.trimIn, c.trimOut) });
  return true;
}

export function unmountScrubBar(root) {
  if (root && root._scrub) { root._scrub.destroy(); bars.delete(root._scrub); root._scrub = null; }
}

// For tests and bench/editor: when the current clip's waveform and filmstrip were drawn.
export function scrubStats() { return [...bars].map(b => ({ clip: b.clip ? b.clip.id : null, drawn: b.drawn })); }

const fixed = (s, d = 3) => Number(s.toFixed(d));
const fmt = s => `${Math.floor(s / 60)}:${(s % 60).toFixed(2).padStart(5, "0")}`;
const mediaUrl = (id, kind) => `api/v1/clips/${id}/${kind}`;

function ensureStyles() {
  if (document.querySelector('link[href="ui/scrubbar.css"]')) return;
  const link = document.createElement("link");
  link.rel = "stylesheet"; link.href = "ui/scrubbar.css";
  document.head.appendChild(link);
}

class ScrubBar {
  constructor(root, options) {
    ensureStyles();
    this.root = root;
    this.mode = options.mode || root.dataset.mode || "review";
    this.playerId = options.player || root.dataset.player || "";
    this.toast = options.toast || (m => this.announce(m));
    this.track = root.querySelector(".scrub-track");
    this.handleIn = root.querySelector(".scrub-in");
    this.handleOut = root.querySelector(".scrub-out");
    this.range = root.querySelector(".scrub-range");
    this.head = root.querySelector(".scrub-head");
    this.canvas = root.querySelector(".scrub-wave");
    this.strip = root.querySelector(".scrub-strip");
    this.status = root.querySelector(".scrub-status");
    this.preview = root.querySelector(".scrub-preview");
    this.dragTime = null;
    this.clip = null; this.video = null; this.fps = 30; this.speed = 1; this.rangePlay = false;
    this.drawn = null; this.last = {}; this.aria = {}; this.cache = new Map(); this.peaks = null; this.dragging = null;

    this.onKey = e => this.key(e);
    this.onClip = e => this.bind(e.detail);
    this.onResize = () => this.drawWave();
    this.onDragStart = e => { e.preventDefault(); e.stopPropagation(); }; // inside a draggable timeline row
    root.addEventListener("dragstart", this.onDragStart);
    document.addEventListener("keydown", this.onKey);
    if (this.mode === "review") document.addEventListener("tccg:clip", this.onClip);
    window.addEventListener("resize", this.onResize);
    root.addEventListener("pointerenter", () => this.loadProxy());
    for (const [el, which] of [[this.track, "head"], [this.handleIn, "in"], [this.handleOut, "out"]]) {
      el.addEventListener("pointerdown", e => this.down(e, which));
      el.addEventListener("pointermove", e => this.move(e));
      el.addEventListener("pointerup", e => this.up(e));
      el.addEventListener("pointercancel", e => this.up(e));
      el.addEventListener("keydown", e => this.sliderKey(e, which));
    }
    const loop = () => { this.frame = requestAnimationFrame(loop); this.update(); };
    this.frame = requestAnimationFrame(loop);
    // The review player may have shown its first clip before this bar was mounted.
    const review = window.tccgReview;
    if (this.mode === "review" && review && review.current) {
      this.bind({ clip: review.current, video: review.videoOf(review.current), queue: review.queue, changed: () => review.renderMeta() });
    }
  }

  destroy() {
    cancelAnimationFrame(this.frame);
    document.removeEventListener("keydown", this.onKey);
    document.removeEventListener("tccg:clip", this.onClip);
    window.removeEventListener("resize", this.onResize);
    this.root.removeEventListener("dragstart", this.onDragStart);
    clearTimeout(this.commitTimer);
  }

  // Shows a clip: {clip: {id, duration, trimIn, trimOut}, video, queue?, changed?}.
  bind(target) {
    const clip = target && target.clip;
    this.clip = clip || null;
    this.video = (target && target.video) || null;
    this.changed = (target && target.changed) || (() => {});
    this.onCommit = (target && target.commit) || null;
    clearTimeout(this.commitTimer); this.pending = false;
    this.rangePlay = false;
    this.dragTime = null;
    if (this.preview) { this.preview.hidden = true; this.preview.removeAttribute("src"); this.preview.dataset.clip = ""; }
    this.root.classList.toggle("empty", !clip);
    if (!clip) { this.clearMedia(); return; }
    if (this.video) { this.video.playbackRate = this.speed; this.video.preservesPitch = true; }
    this.bindStart = performance.now();
    this.drawn = null;
    this.last = {}; this.aria = {};
    this.update();
    // Drawing the waveform and filmstrip and fetching the next clips' wait until the clip's first frame is presented
    // (or 100 ms): that work never delays the picture after a keep.
    const v = this.video, token = (this.bindToken = (this.bindToken || 0) + 1);
    let started = false;
    const start = () => {
      if (started || token !== this.bindToken) return;
      started = true;
      this.loadMedia(clip);
      if (target.queue) for (const next of target.queue.slice(1, 1 + PREFETCH)) this.media(next.id);
    };
    if (v && v.requestVideoFrameCallback && this.mode === "review" && !v.paused) { v.requestVideoFrameCallback(start); setTimeout(start, 100); }
    else start();
  }

  get duration() {
    const c = this.clip;
    if (!c) return 0;
    const d = c.duration || (this.video && isFinite(this.video.duration) ? this.video.duration : 0);
    return d > 0 ? d : 0;
  }

  get trimIn() { return this.clip && this.clip.trimIn != null ? this.clip.trimIn : 0; }
  get trimOut() { return this.clip && this.clip.trimOut != null ? this.clip.trimOut : this.duration; }
  get now() { return this.dragTime != null ? this.dragTime : this.video ? this.video.currentTime : 0; }

  // The short-GOP scrub proxy (no sound, 360p): loaded when the pointer comes over the bar, shown above it while the
  // playhead is dragged so each position is one cheap seek; the player seeks once, where the drag ends.
  loadProxy() {
    const p = this.preview, c = this.clip;
    if (!p || !c || p.dataset.clip === String(c.id)) return;
    p.dataset.clip = String(c.id);
    p.muted = true; p.preload = "auto";
    p.src = mediaUrl(c.id, "proxy");
  }

  // ---- waveform and filmstrip -------------------------------------------------------------------------------

  // One fetch per clip and kind, shared by the prefetch and the bar; the browser caches them (Cache-Control, ETag).
  media(id) {
    let m = this.cache.get(id);
    if (m) return m;
    const wave = fetch(mediaUrl(id, "waveform"), { credentials: "same-origin" })
      .then(r => r.ok ? r.json() : null).catch(() => null);
    const strip = new Promise(resolve => {
      const img = new Image();
      img.onload = () => resolve(img); img.onerror = () => resolve(null);
      img.src = mediaUrl(id, "filmstrip");
    });
    m = { wave, strip };
    this.cache.set(id, m);
    if (this.cache.size > 24) this.cache.delete(this.cache.keys().next().value);
    return m;
  }

  clearMedia() {
    this.peaks = null; this.drawWave();
    this.strip.replaceChildren();
  }

  loadMedia(clip) {
    const m = this.media(clip.id);
    let wave = false, strip = false;
    const done = () => {
      if (wave && strip && this.clip === clip) {
        this.drawn = performance.now() - this.bindStart;
        this.root.dataset.drawn = String(clip.id);
        (window.tccgScrubDrawn ||= []).push(this.drawn); // bench/editor: clip shown -> waveform and filmstrip drawn
      }
    };
    this.root.dataset.drawn = "";
    this.peaks = null; this.drawWave();
    m.wave.then(w => {
      if (this.clip !== clip) return;
      if (w) { this.peaks = w.peaks || []; if (w.fps > 0) this.fps = w.fps; }
      this.drawWave(); wave = true; done();
    });
    m.strip.then(img => {
      if (this.clip !== clip) return;
      this.drawStrip(img, clip.id); strip = true; done();
    });
  }

  drawWave() {
    const canvas = this.canvas, peaks = this.peaks;
    const w = Math.max(1, Math.round(canvas.clientWidth * (window.devicePixelRatio || 1)));
    const h = Math.max(1, Math.round(canvas.clientHeight * (window.devicePixelRatio || 1)));
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    const g = canvas.getContext("2d");
    g.clearRect(0, 0, w, h);
    if (!peaks || peaks.length === 0) return;
    g.fillStyle = "rgba(196, 181, 253, 0.85)";
    const mid = h / 2;
    for (let x = 0; x < w; x++) {
      const from = Math.floor(x * peaks.length / w), to = Math.max(from + 1, Math.floor((x + 1) * peaks.length / w));
      let p = 0;
      for (let i = from; i < to && i < peaks.length; i++) p = Math.max(p, peaks[i]);
      const a = Math.max(1, (p / 255) * (h - 2) / 2);
      g.fillRect(x, mid - a, 1, a * 2);
    }
  }

  drawStrip(img, id) {
    const tiles = [];
    if (img) {
      const count = Math.max(1, Math.round(img.naturalWidth / Math.max(1, img.naturalHeight * 16 / 9)));
      const n = 16 > count ? count : 16;
      for (let i = 0; i < n; i++) {
        const t = document.createElement("div");
        t.style.backgroundImage = `url("${mediaUrl(id, "filmstrip")}")`;
        t.style.backgroundSize = `${n * 100}% 100%`;
        t.style.backgroundPosition = `${n === 1 ? 0 : (i / (n - 1)) * 100}% 0`;
        tiles.push(t);
      }
    }
    this.strip.replaceChildren(...tiles);
  }

  // ---- drawing the bar --------------------------------------------------------------------------------------

  update() {
    const d = this.duration, now = this.now, tin = this.trimIn, tout = this.trimOut;
    if (this.rangePlay && this.video && !this.video.paused && now >= tout - 0.01) { this.video.pause(); this.rangePlay = false; }
    const l = this.last;
    if (!(l.d === d && l.now === now && l.tin === tin && l.tout === tout)) {
      l.d = d; l.now = now; l.tin = tin; l.tout = tout;
      const pct = s => d > 0 ? `${Math.min(100, Math.max(0, (s / d) * 100))}%` : "0%";
      this.head.style.left = pct(now);
      this.range.style.left = pct(tin);
      this.range.style.width = d > 0 ? `${Math.max(0, ((tout - tin) / d) * 100)}%` : "0%";
      this.handleIn.style.left = pct(tin);
      this.handleOut.style.left = pct(tout);
    }
    // While the clip plays, the sliders' ARIA values follow at 4 Hz (assistive technology needs no more, and nine
    // attribute writes a frame are style work on every frame); any other change is written at once.
    const a = this.aria || (this.aria = {});
    if (a.d === d && a.now === now && a.tin === tin && a.tout === tout) return;
    const playing = this.video && !this.video.paused && this.dragTime == null;
    const t = performance.now();
    if (playing && a.d === d && a.tin === tin && a.tout === tout && t - a.at < 250) return;
    Object.assign(a, { d, now, tin, tout, at: t });
    const dur = String(fixed(d));
    for (const [el, v] of [[this.track, now], [this.handleIn, tin], [this.handleOut, tout]]) {
      el.setAttribute("aria-valuemax", dur);
      el.setAttribute("aria-valuenow", String(fixed(v)));
      el.setAttribute("aria-valuetext", `${fmt(v)} of ${fmt(d)}`);
    }
  }


  // ---- moving the playhead and the trims --------------------------------------------------------------------

  seek(seconds, pause) {
    const v = this.video;
    if (!v || !this.clip) return;
    if (pause && !v.paused) v.pause();
    const t = Math.min(Math.max(0, seconds), Math.max(0, this.duration - 0.001));
    v.currentTime = t;
    this.update();
  }

  frameStep() { return 1 / (this.fps > 0 ? this.fps : 30); }

  // The time `frames` frames from `seconds`, on the frame grid (so repeated steps never drift).
  byFrames(seconds, frames) {
    const fps = this.fps > 0 ? this.fps : 30;
    return (Math.round(seconds * fps) + frames) / fps;
  }

  // Sets trim in or out to `seconds` (clamped to keep MIN_GAP between them); null-s the trims at the clip's ends.
  setTrim(which, seconds, strict) {
    const c = this.clip;
    if (!c) return false;
    const d = this.duration;
    let s = fixed(Math.min(Math.max(0, seconds), d));
    if (which === "in") {
      if (s > this.trimOut - MIN_GAP) {
        if (strict) { this.toast("Trim in must be at least 0.5 s before trim out."); return false; }
        s = fixed(Math.max(0, this.trimOut - MIN_GAP));
      }
      c.trimIn = s > 0 ? s : null;
    } else {
      if (s < this.trimIn + MIN_GAP) {
        if (strict) { this.toast("Trim out must be at least 0.5 s after trim in."); return false; }
        s = fixed(Math.min(d, this.trimIn + MIN_GAP));
      }
      c.trimOut = s < d - 0.0005 ? s : null;
    }
    this.update();
    this.changed();
    return true;
  }

  // A trim is done changing: save it after `delay` ms of quiet (arrow presses coalesce), one save at a time.
  commit(delay) {
    if (!this.onCommit) return;
    this.pending = true;
    clearTimeout(this.commitTimer);
    this.commitTimer = setTimeout(() => this.flush(), delay);
  }

  async flush() {
    if (this.saving) { this.dirty = true; return; }
    this.saving = true;
    try {
      do {
        this.dirty = false;
        const c = this.clip;
        try { await this.onCommit({ id: c.id, trimIn: c.trimIn ?? null, trimOut: c.trimOut ?? null }); }
        catch (e) { this.announce(`Could not save the trims: ${e}`); }
      } while (this.dirty);
    } finally { this.saving = false; this.pending = false; }
  }

  at(e) {
    const r = this.track.getBoundingClientRect();
    const x = Math.min(Math.max(0, e.clientX - r.left), r.width);
    return r.width > 0 ? (x / r.width) * this.duration : 0;
  }

  down(e, which) {
    if (!this.clip || e.button !== 0) return;
    e.preventDefault(); e.stopPropagation();
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    el.focus({ preventScroll: true });
    this.dragging = { which, el, wasPlaying: this.video && !this.video.paused };
    this.root.classList.add("dragging");
    if (which === "head") {
      const v = this.video;
      if (v && v.requestVideoFrameCallback) { // bench/editor: click -> the new frame presented
        const t0 = e.timeStamp;
        v.requestVideoFrameCallback(() => (window.tccgSeekStats ||= []).push(performance.now() - t0));
      }
      this.seek(this.at(e), false);
    }
  }

  move(e) {
    const d = this.dragging;
    if (!d || !d.el.hasPointerCapture(e.pointerId)) return;
    if (d.which !== "head") { this.setTrim(d.which, this.at(e), false); return; }
    const t = this.at(e), p = this.preview;
    if (p && p.dataset.clip === String(this.clip.id) && p.readyState >= 1) {
      const r = this.track.getBoundingClientRect();
      p.hidden = false;
      p.style.left = `${Math.min(Math.max(0, e.clientX - r.left), r.width)}px`;
      // fastSeek: the nearest keyframe of the proxy (at most 5 frames away), as fast as an all-intra proxy at a third
      // of its size (bench/editor); the player seeks exactly where the drag ends.
      if (p.fastSeek) p.fastSeek(t); else p.currentTime = t;
      this.dragTime = t;
      this.update();
    } else this.seek(t, false);
  }

  up(e) {
    const d = this.dragging;
    if (!d) return;
    if (d.el.hasPointerCapture(e.pointerId)) d.el.releasePointerCapture(e.pointerId);
    this.dragging = null;
    this.root.classList.remove("dragging");
    if (d.which === "head" && this.dragTime != null) {
      const t = this.dragTime;
      this.dragTime = null;
      if (this.preview) this.preview.hidden = true;
      this.seek(t, false);
    }
    if (d.which !== "head") {
      this.setTrim(d.which, this.at(e), false);
      this.announce(`Trim ${d.which} ${fmt(d.which === "in" ? this.trimIn : this.trimOut)}`);
      this.commit(0);
    }
  }

  sliderKey(e, which) {
    if (e.ctrlKey || e.metaKey || e.altKey || !this.clip) return;
    if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); this.focusPlayer(); return; }
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    e.preventDefault(); e.stopPropagation(); // the review's ←/→ (skip/keep) apply only when the player has the focus
    const dir = e.key === "ArrowLeft" ? -1 : 1;
    const from = which === "head" ? this.now : which === "in" ? this.trimIn : this.trimOut;
    const to = e.shiftKey ? from + dir : this.byFrames(from, dir);
    if (which === "head") this.seek(to, true);
    else if (this.setTrim(which, to, false)) this.commit(400);
  }

  focusPlayer() {
    const player = (this.playerId && document.getElementById(this.playerId)) || (this.video && this.video.parentElement);
    if (!player) return;
    if (!player.hasAttribute("tabindex")) player.tabIndex = -1;
    player.focus({ preventScroll: true });
  }

  key(e) {
    const t = e.target;
    if (!this.clip || e.defaultPrevented) return;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (!this.root.isConnected || this.root.offsetParent === null) return;
    if (this.mode !== "review" && !this.root.contains(document.activeElement)) return;
    const v = this.video;
    const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const action = {
      "j": () => this.seek(this.now - (e.shiftKey ? 5 : 1), false),
      "l": () => this.seek(this.now + (e.shiftKey ? 5 : 1), false),
      ",": () => this.seek(this.byFrames(this.now, -1), true),
      ".": () => this.seek(this.byFrames(this.now, +1), true),
      "i": () => { if (this.setTrim("in", this.now, true)) this.commit(0); },
      "o": () => { if (this.setTrim("out", this.now, true)) this.commit(0); },
      "Home": () => this.seek(this.trimIn, false),
      "End": () => this.seek(this.trimOut, false),
      "m": () => { if (v) { v.muted = !v.muted; this.announce(v.muted ? "Muted" : "Sound on"); } },
      "p": () => this.playRange(),
      "<": () => this.setSpeed(-1),
      ">": () => this.setSpeed(+1),
    }[k];
    if (!action) return;
    e.preventDefault();
    action();
  }

  playRange() {
    const v = this.video;
    if (!v) return;
    v.currentTime = this.trimIn;
    this.rangePlay = true;
    v.play().catch(() => {});
  }

  setSpeed(direction) {
    const i = SPEEDS.indexOf(this.speed);
    this.speed = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, (i < 0 ? 0 : i) + direction))];
    if (this.video) { this.video.preservesPitch = true; this.video.playbackRate = this.speed; }
    this.root.dataset.speed = String(this.speed);
    this.announce(`Speed ${this.speed}×`);
  }

  announce(text) {
    if (!this.status) return;
    this.status.textContent = text;
  }
}
