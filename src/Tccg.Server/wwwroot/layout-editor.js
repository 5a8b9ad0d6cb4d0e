// The per-clip layout editor (Components/LayoutEditor.razor): boxes over the clip's video that the mouse
// draws, moves and resizes (pointer events) and the keyboard nudges, and a live preview in the output's
// aspect made with layout-view.js (CSS, no render). The page reads the result with read(root).
//
// Keys on a focused box: arrows move it by 1 % of the frame (Shift: 5 %); Alt+arrows (or Ctrl+arrows)
// resize it (Right/Down grow, Left/Up shrink). Dragging on the picture outside the boxes draws the
// selected box anew.
import { apply } from "./layout-view.js";

const MIN = 0.02;
const editors = new WeakMap();

const DEFAULTS = {
  top: { x: 0.7, y: 0.0, w: 0.3, h: 0.3 },
  bottom: { x: 0.2, y: 0.0, w: 0.6, h: 1.0 },
  rect: { x: 0.342, y: 0.0, w: 0.316, h: 1.0 },
};

const NAMES = { top: "Facecam box (top)", bottom: "Gameplay box (bottom)", rect: "Crop box" };

const round = (v) => Math.round(v * 10000) / 10000;
const pct = (v) => Math.round(v * 100) + "%";

function clampRect(r) {
  let w = Math.min(Math.max(r.w, MIN), 1), h = Math.min(Math.max(r.h, MIN), 1);
  let x = Math.min(Math.max(r.x, 0), 1 - w), y = Math.min(Math.max(r.y, 0), 1 - h);
  return { x: round(x), y: round(y), w: round(w), h: round(h) };
}

function boxesOf(mode) {
  return mode === "stacked" ? ["top", "bottom"] : mode === "crop" ? ["rect"] : [];
}

export function init(root, layout, output) {
  dispose(root);
  const video = root.querySelector(".le-video");
  const overlay = root.querySelector(".le-boxes");
  const modeSelect = root.querySelector(".le-mode");
  const split = root.querySelector(".le-split");
  const stage = root.querySelector(".le-preview");
  // The preview's video is made here (not by Blazor): layout-view.js moves it between regions of the stage.
  let previewVideo = stage && stage.querySelector("video.le-preview-video");
  if (stage && !previewVideo) {
    previewVideo = document.createElement("video");
    previewVideo.className = "le-preview-video";
    previewVideo.muted = true;
    previewVideo.setAttribute("playsinline", "");
    previewVideo.preload = "auto";
    previewVideo.src = video.getAttribute("src");
    stage.appendChild(previewVideo);
  } else if (previewVideo && previewVideo.getAttribute("src") !== video.getAttribute("src")) {
    // Another clip in the same editor (Blazor keeps the component and swaps the clip's source).
    previewVideo.src = video.getAttribute("src");
  }
  const status = root.querySelector(".le-status");
  const ed = {
    mode: (layout && layout.mode) || "fit",
    rects: {
      top: clampRect((layout && layout.top) || DEFAULTS.top),
      bottom: clampRect((layout && layout.bottom) || DEFAULTS.bottom),
      rect: clampRect((layout && layout.rect) || DEFAULTS.rect),
    },
    split: (layout && typeof layout.split === "number" && layout.split) || 0.4,
    output: output || { width: 1080, height: 1920 },
    active: null,
    drag: null,
    boxes: {},
    undo: [],
  };
  editors.set(root, ed);
  const on = (el, ev, f, opts) => {
    if (!el) return;
    el.addEventListener(ev, f, opts);
    ed.undo.push(() => el.removeEventListener(ev, f, opts));
  };

  const announce = (text) => {
    if (status) status.textContent = text;
  };

  const label = (name) => {
    const r = ed.rects[name];
    return `${NAMES[name]}: x ${pct(r.x)}, y ${pct(r.y)}, ${pct(r.w)} wide, ${pct(r.h)} high. Arrow keys move it, Alt+arrow keys resize it.`;
  };

  const drawBox = (name) => {
    const el = ed.boxes[name];
    const r = ed.rects[name];
    Object.assign(el.style, { left: r.x * 100 + "%", top: r.y * 100 + "%", width: r.w * 100 + "%", height: r.h * 100 + "%" });
    el.setAttribute("aria-label", label(name));
    el.dataset.x = r.x;
    el.dataset.y = r.y;
    el.dataset.w = r.w;
    el.dataset.h = r.h;
  };

  const preview = () => {
    if (previewVideo) apply(stage, previewVideo, read(root), ed.output);
    root.dataset.layout = JSON.stringify(read(root));
  };

  const select = (name) => {
    ed.active = name;
    Object.entries(ed.boxes).forEach(([n, el]) => el.classList.toggle("active", n === name));
  };

  const build = () => {
    overlay.querySelectorAll(".le-box").forEach((b) => b.remove());
    ed.boxes = {};
    for (const name of boxesOf(ed.mode)) {
      const el = document.createElement("div");
      el.className = `le-box le-box-${name}`;
      el.dataset.box = name;
      el.tabIndex = 0;
      el.setAttribute("role", "button");
      el.setAttribute("aria-roledescription", "movable box");
      const tag = document.createElement("span");
      tag.className = "le-tag";
      tag.textContent = name === "top" ? "facecam" : name === "bottom" ? "gameplay" : "crop";
      tag.setAttribute("aria-hidden", "true");
      el.appendChild(tag);
      for (const h of ["nw", "ne", "sw", "se"]) {
        const handle = document.createElement("span");
        handle.className = `le-handle le-${h}`;
        handle.dataset.handle = h;
        handle.setAttribute("aria-hidden", "true");
        el.appendChild(handle);
      }
      overlay.appendChild(el);
      ed.boxes[name] = el;
      drawBox(name);
    }
    select(boxesOf(ed.mode)[0] || null);
    if (split) {
      split.disabled = ed.mode !== "stacked";
      split.value = Math.round(ed.split * 100);
    }
    root.dataset.mode = ed.mode;
    preview();
  };

  const frac = (e) => {
    const b = overlay.getBoundingClientRect();
    return { x: (e.clientX - b.left) / b.width, y: (e.clientY - b.top) / b.height };
  };

  on(overlay, "pointerdown", (e) => {
    if (e.button !== 0 || boxesOf(ed.mode).length === 0) return;
    const box = e.target.closest(".le-box");
    const handle = e.target.closest(".le-handle");
    const p = frac(e);
    let name = box ? box.dataset.box : ed.active;
    if (!name) return;
    select(name);
    const start = { ...ed.rects[name] };
    const kind = handle ? handle.dataset.handle : box ? "move" : "draw";
    if (kind === "draw") ed.rects[name] = clampRect({ x: p.x, y: p.y, w: MIN, h: MIN });
    ed.drag = { name, kind, p, start, id: e.pointerId };
    overlay.setPointerCapture(e.pointerId);
    (box || ed.boxes[name]).focus({ preventScroll: true });
    e.preventDefault();
  });

  on(overlay, "pointermove", (e) => {
    const d = ed.drag;
    if (!d || d.id !== e.pointerId) return;
    const p = frac(e);
    const dx = p.x - d.p.x, dy = p.y - d.p.y;
    const s = d.start;
    let r;
    if (d.kind === "move") {
      r = { x: s.x + dx, y: s.y + dy, w: s.w, h: s.h };
    } else if (d.kind === "draw") {
      const x0 = Math.min(Math.max(d.p.x, 0), 1), y0 = Math.min(Math.max(d.p.y, 0), 1);
      const x1 = Math.min(Math.max(p.x, 0), 1), y1 = Math.min(Math.max(p.y, 0), 1);
      r = { x: Math.min(x0, x1), y: Math.min(y0, y1), w: Math.abs(x1 - x0), h: Math.abs(y1 - y0) };
    } else {
      let left = s.x, top = s.y, right = s.x + s.w, bottom = s.y + s.h;
      if (d.kind.includes("w")) left = Math.min(Math.max(s.x + dx, 0), right - MIN);
      if (d.kind.includes("e")) right = Math.max(Math.min(right + dx, 1), left + MIN);
      if (d.kind.includes("n")) top = Math.min(Math.max(s.y + dy, 0), bottom - MIN);
      if (d.kind.includes("s")) bottom = Math.max(Math.min(bottom + dy, 1), top + MIN);
      r = { x: left, y: top, w: right - left, h: bottom - top };
    }
    ed.rects[d.name] = clampRect(r);
    drawBox(d.name);
    preview();
  });

  const end = (e) => {
    const d = ed.drag;
    if (!d || d.id !== e.pointerId) return;
    ed.drag = null;
    if (overlay.hasPointerCapture(e.pointerId)) overlay.releasePointerCapture(e.pointerId);
    announce(label(d.name));
    root.dispatchEvent(new CustomEvent("layoutchange", { bubbles: true }));
  };
  on(overlay, "pointerup", end);
  on(overlay, "pointercancel", end);

  on(overlay, "keydown", (e) => {
    const box = e.target.closest && e.target.closest(".le-box");
    if (!box) return;
    const name = box.dataset.box;
    const step = e.shiftKey ? 0.05 : 0.01;
    const dirs = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const dir = dirs[e.key];
    if (!dir) return;
    const r = { ...ed.rects[name] };
    if (e.altKey || e.ctrlKey) {
      r.w += dir[0] * step;
      r.h += dir[1] * step;
    } else {
      r.x += dir[0] * step;
      r.y += dir[1] * step;
    }
    ed.rects[name] = clampRect(r);
    select(name);
    drawBox(name);
    preview();
    announce(label(name));
    e.preventDefault();
  });

  on(overlay, "focusin", (e) => {
    const box = e.target.closest && e.target.closest(".le-box");
    if (box) select(box.dataset.box);
  });

  on(modeSelect, "change", () => {
    ed.mode = modeSelect.value;
    build();
    announce(`Layout: ${ed.mode}.`);
  });

  on(split, "input", () => {
    ed.split = Math.min(Math.max(Number(split.value) / 100, 0.1), 0.9);
    preview();
  });

  // The preview copy follows the clip's video (muted; the clip's own video carries the sound).
  const follow = () => {
    if (!previewVideo) return;
    if (Math.abs(previewVideo.currentTime - video.currentTime) > 0.15) previewVideo.currentTime = video.currentTime;
    if (video.paused && !previewVideo.paused) previewVideo.pause();
    if (!video.paused && previewVideo.paused) previewVideo.play().catch(() => {});
  };
  ["play", "pause", "seeked", "timeupdate"].forEach((ev) => on(video, ev, follow));
  const sized = () => {
    if (video.videoWidth && video.videoHeight) root.querySelector(".le-source").style.aspectRatio = `${video.videoWidth} / ${video.videoHeight}`;
  };
  on(video, "loadedmetadata", sized);
  sized();

  if (modeSelect) modeSelect.value = ed.mode;
  build();
}

/** The layout as edited: a timeline layout object. */
export function read(root) {
  const ed = editors.get(root);
  if (!ed) return null;
  if (ed.mode === "stacked") return { mode: "stacked", top: ed.rects.top, bottom: ed.rects.bottom, split: round(ed.split) };
  if (ed.mode === "crop") return { mode: "crop", rect: ed.rects.rect };
  return { mode: ed.mode };
}

/** Play or pause the clip (the preview follows). */
export function toggle(root) {
  const video = root.querySelector(".le-video");
  if (!video) return;
  if (video.paused) video.play().catch(() => {});
  else video.pause();
}

export function dispose(root) {
  const ed = editors.get(root);
  if (!ed) return;
  ed.undo.forEach((f) => f());
  editors.delete(root);
}
