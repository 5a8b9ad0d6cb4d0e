// Tccg compilation preview: plays the whole compilation in the page as it will render. The plan (pieces in order with
// their files, trims, frame-rounded lengths and gains, the music sequence, ducking settings, output size) comes from the
// server (CompilationPreviewService, the renderer's own rules); nothing here decides order, lengths or gains.
//
// Two <video> elements take turns: the current piece plays on top while the next one waits underneath, loaded and
// seeked to its trim in. The next one is started ahead of the current one's end by the measured start-up time of
// play(), and it comes on top when its first frame is presented (requestVideoFrameCallback): no black gap, and the
// current piece holds its last frame if the next one is late. Sound goes through Web Audio: each
// piece's gain, the music at its volume, ducked under the pieces' sound like ffmpeg's sidechaincompress (RMS detector,
// threshold, ratio, attack, release from the plan). A slider (role=slider, "Compilation position", seconds) seeks
// across pieces; the timeline row of the clip playing is marked (data-previewing, aria-current).

const fmt = s => `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, "0")}`;

export function mountPreview(root, dotnet) {
  unmountPreview(root);
  root._preview = new Preview(root, dotnet);
  return true;
}

// The compilation was saved (new version): the next play or seek asks for a fresh plan.
export function previewVersion(root, version) { if (root && root._preview) root._preview.setVersion(version); }

export function unmountPreview(root) {
  if (root && root._preview) { root._preview.destroy(); root._preview = null; }
}

// For tests and bench/editor: the gaps (ms) between a piece's last frame and the next piece's first frame.
export function previewStats(root) { return root && root._preview ? root._preview.gaps : []; }

class Preview {
  constructor(root, dotnet) {
    this.root = root; this.dotnet = dotnet;
    this.button = root.querySelector(".cp-play");
    this.stage = root.querySelector(".cp-stage");
    this.videos = [...root.querySelectorAll(".cp-stage video")];
    this.bar = root.querySelector(".cp-bar");
    this.fill = root.querySelector(".cp-fill");
    this.head = root.querySelector(".cp-head");
    this.marks = root.querySelector(".cp-marks");
    this.time = root.querySelector(".cp-time");
    this.status = root.querySelector(".cp-status");
    this.music = root.querySelector(".cp-music");
    this.plan = null; this.version = null; this.planVersion = undefined;
    this.cur = this.videos[0]; this.nxt = this.videos[1];
    this.index = -1; this.playing = false; this.position = 0; this.token = 0; this.trackIndex = -1;
    this.gaps = (window.tccgPreviewGaps = []);
    this.audio = null; this.duck = 1; this.ticks = 0;
    this.lead = 50; this.starting = false; this.lastFrameAt = null; // ms: play() to first frame, measured as it plays

    this.onClick = () => this.toggle();
    this.button.addEventListener("click", this.onClick);
    for (const v of this.videos) {
      v.addEventListener("ended", () => {
        if (v !== this.cur || !this.playing) return;
        if (this.index + 1 >= this.plan.pieces.length) this.finish(); else if (!this.starting) this.startNext();
      });
    }
    this.music.addEventListener("ended", () => { if (this.playing) this.syncMusic(true); });
    this.bar.addEventListener("pointerdown", e => this.barDown(e));
    this.bar.addEventListener("pointermove", e => this.barMove(e));
    this.bar.addEventListener("pointerup", e => this.barUp(e));
    this.bar.addEventListener("pointercancel", e => this.barUp(e));
    this.bar.addEventListener("keydown", e => this.barKey(e));
    this.onKey = e => {
      if (e.key === " " && this.root.contains(e.target) && e.target.tagName !== "BUTTON") { e.preventDefault(); this.toggle(); }
    };
    root.addEventListener("keydown", this.onKey);
  }

  destroy() {
    this.token++;
    this.playing = false;
    clearInterval(this.duckTimer);
    for (const v of this.videos) { v.pause(); v.removeAttribute("src"); v.load(); }
    this.music.pause();
    this.highlight(null);
    if (this.audio) this.audio.close().catch(() => {});
  }

  setVersion(version) { this.version = version; }

  // ---- the plan -----------------------------------------------------------------------------------------------

  async fetchPlan() {
    if (this.plan && this.planVersion === this.version) return this.plan;
    this.say("Loading the preview…");
    const plan = await this.dotnet.invokeMethodAsync("PreviewPlan");
    if (!plan) { this.say("The preview could not be loaded."); return null; }
    this.plan = plan; this.planVersion = this.version;
    this.bar.setAttribute("aria-valuemax", String(plan.seconds));
    this.root.dataset.seconds = String(plan.seconds);
    this.stage.style.aspectRatio = `${plan.width} / ${plan.height}`;
    this.marks.replaceChildren(...plan.pieces.map(p => {
      const m = document.createElement("div");
      m.className = `cp-mark ${p.kind}`;
      m.style.left = `${(p.offset / plan.seconds) * 100}%`;
      m.style.width = `${(p.seconds / plan.seconds) * 100}%`;
      return m;
    }));
    if (plan.leftOut && plan.leftOut.length) this.say(`Left out: ${plan.leftOut.join("; ")}`);
    return plan;
  }

  // ---- Web Audio: piece gains, music, ducking -----------------------------------------------------------------

  ensureAudio() {
    if (this.audio || !window.AudioContext) return;
    try {
      const ctx = this.audio = new AudioContext();
      this.speech = ctx.createGain();
      this.speech.connect(ctx.destination);
      this.analyser = ctx.createAnalyser();
      this.analyser.fftSize = 1024;
      this.speech.connect(this.analyser);
      this.samples = new Float32Array(this.analyser.fftSize);
      for (const v of this.videos) {
        v._gain = ctx.createGain();
        ctx.createMediaElementSource(v).connect(v._gain).connect(this.speech);
      }
      this.musicGain = ctx.createGain();
      this.duckGain = ctx.createGain();
      ctx.createMediaElementSource(this.music).connect(this.musicGain).connect(this.duckGain).connect(ctx.destination);
    } catch { this.audio = null; }
  }

  setGain(v, gain) {
    if (v._gain) { v.volume = 1; v._gain.gain.value = gain; }
    else v.volume = Math.min(1, gain);
  }

  // sidechaincompress, RMS detection: above the threshold the level is divided down by the ratio; the gain follows
  // with the attack (going down) and release (coming back) time constants.
  duckTick() {
    const m = this.plan && this.plan.music;
    if (!this.audio || !m || !m.duck) return;
    const now = performance.now(), dt = Math.max(1, now - (this.lastDuck || now - 20));
    this.lastDuck = now;
    this.analyser.getFloatTimeDomainData(this.samples);
    let sum = 0;
    for (const x of this.samples) sum += x * x;
    const rms = Math.sqrt(sum / this.samples.length), d = m.ducking;
    const target = rms > d.threshold ? (d.threshold * Math.pow(rms / d.threshold, 1 / d.ratio)) / rms : 1;
    const tau = target < this.duck ? d.attackMs : d.releaseMs;
    this.duck += (target - this.duck) * (1 - Math.exp(-dt / tau));
    this.duckGain.gain.setTargetAtTime(this.duck, this.audio.currentTime, 0.005);
    this.root.dataset.duck = this.duck.toFixed(2);
  }

  // The music track and time at the compilation's position; corrects drift above 0.25 s.
  syncMusic(force) {
    const m = this.plan && this.plan.music, a = this.music;
    if (!m || !m.tracks.length) return;
    if (this.musicGain) this.musicGain.gain.value = m.gain; else a.volume = Math.min(1, m.gain);
    const t = this.position;
    const k = m.tracks.findIndex(tr => t >= tr.offset && t < tr.offset + tr.seconds);
    if (k < 0 || t >= this.plan.seconds) { a.pause(); return; }
    const track = m.tracks[k], at = t - track.offset;
    if (k !== this.trackIndex || a.dataset.src !== track.src) {
      this.trackIndex = k; a.dataset.src = track.src; a.src = track.src; a.currentTime = at; force = true;
    } else if (force || Math.abs(a.currentTime - at) > 0.25) a.currentTime = at;
    if (this.playing) { if (a.paused) a.play().catch(() => {}); } else a.pause();
  }

  // ---- pieces -------------------------------------------------------------------------------------------------

  pieceAt(t) {
    const ps = this.plan.pieces;
    for (let i = 0; i < ps.length; i++) if (t < ps[i].offset + ps[i].seconds) return i;
    return ps.length - 1;
  }

  // Loads piece i into v at `at` seconds into the piece; resolves when v can show that frame.
  load(v, i, at) {
    const p = this.plan.pieces[i];
    v.dataset.piece = String(i);
    if (v.dataset.src !== p.src) { v.dataset.src = p.src; v.src = p.src; }
    v.preload = "auto";
    const t = p.start + Math.max(0, at || 0);
    if (Math.abs(v.currentTime - t) > 0.001 || v.readyState < 2) v.currentTime = t;
    this.setGain(v, p.gain);
    if (window.tccgLayoutView && typeof window.tccgLayoutView.apply === "function" && this.plan.vertical) {
      try { window.tccgLayoutView.apply(this.stage, v, p.layout, { width: this.plan.width, height: this.plan.height }); } catch { }
    }
    return new Promise(resolve => {
      const check = () => {
        if (v.readyState >= 2 && !v.seeking) { v.removeEventListener("seeked", check); v.removeEventListener("loadeddata", check); v.removeEventListener("canplay", check); resolve(); }
      };
      v.addEventListener("seeked", check); v.addEventListener("loadeddata", check); v.addEventListener("canplay", check);
      check();
    });
  }

  // Shows piece i from `at` seconds into it (a seek or the start), and preloads the next piece underneath.
  async show(i, at) {
    const token = ++this.token;
    this.starting = false;
    this.cur.pause(); this.nxt.pause();
    this.index = i;
    this.position = this.plan.pieces[i].offset + at;
    this.render();
    await this.load(this.cur, i, at);
    if (token !== this.token) return;
    this.cur.classList.add("on"); this.nxt.classList.remove("on");
    this.current(i);
    this.syncMusic(true);
    if (this.playing) this.play();
    this.preloadNext();
  }

  preloadNext() {
    const i = this.index + 1;
    if (i < this.plan.pieces.length) this.nextReady = this.load(this.nxt, i, 0);
  }

  play() {
    const v = this.cur;
    v.play().catch(() => {});
    this.watch(v, this.token);
  }

  // Follows the current piece frame by frame. The next piece is started ahead of the current one's end by the measured
  // start-up time of play() (the time from play() to its first frame presented), so its first frame lands when the
  // current piece's last frame has had its time on screen; the current piece holds its last frame if the next is late.
  watch(v, token) {
    if (!v.requestVideoFrameCallback) return;
    v.requestVideoFrameCallback((now, meta) => {
      if (token !== this.token || v !== this.cur || !this.playing) return;
      const p = this.plan.pieces[this.index], end = p.start + p.seconds, frame = 1 / this.plan.fps;
      this.lastFrameAt = now;
      this.position = p.offset + Math.max(0, meta.mediaTime - p.start);
      this.render();
      const last = meta.mediaTime + 1.5 * frame >= end;
      // Would the next check (a frame from now) be later than the start-up time before the end?
      if (!this.starting && (last || (end - meta.mediaTime - frame) * 1000 <= this.lead)) this.startNext();
      if (last) { v.pause(); if (this.index + 1 >= this.plan.pieces.length) this.finish(); return; }
      this.watch(v, token);
    });
  }

  // Starts the next piece (already loaded underneath); it comes on top with its first frame presented.
  startNext() {
    const i = this.index + 1, old = this.cur, next = this.nxt, token = this.token;
    if (i >= this.plan.pieces.length) return;
    this.starting = true;
    const go = () => {
      if (token !== this.token) { this.starting = false; return; }
      const t0 = performance.now();
      next.play().catch(() => {});
      const swap = now => {
        if (token !== this.token) { this.starting = false; return; }
        this.lead = Math.min(150, 0.7 * this.lead + 0.3 * (now - t0));
        this.gaps.push(Math.max(0, now - (this.lastFrameAt ?? now)));
        next.classList.add("on"); old.classList.remove("on");
        old.pause();
        this.index = i; this.cur = next; this.nxt = old;
        this.starting = false;
        this.current(i);
        this.preloadNext();
        this.watch(next, this.token);
      };
      if (next.requestVideoFrameCallback) next.requestVideoFrameCallback(swap); else swap(performance.now());
    };
    if (next.dataset.piece === String(i) && next.readyState >= 2 && !next.seeking) go();
    else this.load(next, i, 0).then(go);
  }

  finish() {
    this.playing = false;
    this.position = this.plan.seconds;
    this.music.pause();
    clearInterval(this.duckTimer);
    this.render();
    this.button.textContent = "▶ Preview";
    this.root.dataset.state = "ended";
    this.say("Preview finished.");
  }

  // The piece now showing: timeline row marked, kind and number said.
  current(i) {
    const p = this.plan.pieces[i];
    this.root.dataset.kind = p.kind;
    this.root.dataset.piece = String(i);
    const clips = this.plan.pieces.filter(q => q.kind === "clip");
    const n = clips.indexOf(p);
    this.say(p.kind === "clip" ? `Clip ${n + 1} of ${clips.length}` : p.kind[0].toUpperCase() + p.kind.slice(1));
    this.highlight(p.clipId);
    (this.root._played ||= []).push(p.kind);
    this.root.dataset.played = this.root._played.slice(-50).join(" ");
  }

  highlight(clipId) {
    for (const el of document.querySelectorAll(".titem[data-previewing]")) { el.removeAttribute("data-previewing"); el.removeAttribute("aria-current"); }
    if (clipId == null) return;
    const row = document.querySelector(`.titem[data-clip="${clipId}"]`);
    if (row) { row.dataset.previewing = "true"; row.setAttribute("aria-current", "true"); }
  }

  render() {
    const total = this.plan ? this.plan.seconds : 0, t = Math.min(total, Math.max(0, this.position));
    const pct = total > 0 ? `${(t / total) * 100}%` : "0%";
    this.fill.style.width = pct; this.head.style.left = pct;
    this.bar.setAttribute("aria-valuenow", String(Number(t.toFixed(2))));
    this.bar.setAttribute("aria-valuetext", `${fmt(t)} of ${fmt(total)}`);
    this.time.textContent = `${fmt(t)} / ${fmt(total)}`;
  }

  say(text) { this.status.textContent = text; }

  // ---- controls -----------------------------------------------------------------------------------------------

  async toggle() {
    this.ensureAudio(); // inside the click: browsers allow sound to start here
    if (this.audio && this.audio.state === "suspended") this.audio.resume().catch(() => {});
    if (this.playing) { this.pause(); return; }
    const stale = !this.plan || this.planVersion !== this.version;
    const plan = await this.fetchPlan();
    if (!plan) return;
    if (!plan.pieces.length) { this.say("Nothing to preview yet: keep some clips first."); return; }
    this.stage.hidden = false;
    this.playing = true;
    this.root.dataset.state = "playing";
    this.button.textContent = "❚❚ Pause";
    clearInterval(this.duckTimer);
    this.duckTimer = setInterval(() => { this.duckTick(); if (++this.ticks % 25 === 0) this.syncMusic(false); }, 20);
    const from = this.position >= plan.seconds - 0.01 ? 0 : this.position;
    if (stale || this.index < 0 || from === 0) { const i = this.pieceAt(from); await this.show(i, from - plan.pieces[i].offset); }
    else {
      this.cur.classList.add("on"); this.nxt.classList.remove("on");
      this.current(this.index);
      this.syncMusic(true); this.play();
      if (this.nxt.dataset.piece !== String(this.index + 1)) this.preloadNext();
    }
  }

  pause() {
    this.playing = false;
    this.token++;
    this.starting = false;
    this.cur.pause(); this.nxt.pause(); this.music.pause();
    clearInterval(this.duckTimer);
    this.button.textContent = "▶ Resume";
    this.root.dataset.state = "paused";
    const p = this.plan.pieces[this.index];
    if (p) { this.position = p.offset + Math.max(0, this.cur.currentTime - p.start); this.render(); }
  }

  async seekTo(t) {
    const plan = await this.fetchPlan();
    if (!plan || !plan.pieces.length) return;
    this.stage.hidden = false;
    t = Math.min(Math.max(0, t), Math.max(0, plan.seconds - 0.001));
    const i = this.pieceAt(t);
    await this.show(i, t - plan.pieces[i].offset);
  }

  barAt(e) {
    const r = this.bar.getBoundingClientRect(), total = this.plan ? this.plan.seconds : 0;
    return r.width > 0 ? (Math.min(Math.max(0, e.clientX - r.left), r.width) / r.width) * total : 0;
  }

  async barDown(e) {
    if (e.button !== 0) return;
    e.preventDefault();
    this.bar.setPointerCapture(e.pointerId);
    this.bar.focus({ preventScroll: true });
    this.dragging = true;
    await this.fetchPlan();
    this.seekTo(this.barAt(e));
  }

  barMove(e) {
    if (!this.dragging || !this.bar.hasPointerCapture(e.pointerId)) return;
    this.seekTo(this.barAt(e));
  }

  barUp(e) {
    if (!this.dragging) return;
    this.dragging = false;
    if (this.bar.hasPointerCapture(e.pointerId)) this.bar.releasePointerCapture(e.pointerId);
  }

  barKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const step = e.shiftKey ? 5 : 1;
    const to = { ArrowLeft: this.position - step, ArrowRight: this.position + step, Home: 0, End: this.plan ? this.plan.seconds : 0 }[e.key];
    if (to === undefined) return;
    e.preventDefault(); e.stopPropagation();
    this.seekTo(to);
  }
}
