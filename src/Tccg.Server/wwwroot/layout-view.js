// Shows a video in a stage element as a timeline layout would render it, with CSS only (no render):
// fit (letterboxed), blur (the frame over a blurred, darkened fill of itself), crop (a rect filling the
// output) and stacked (the top rect over the bottom rect, split at layout.split). Rects are fractions of
// the source frame; a rect whose aspect differs from its region is cropped further around its centre,
// as the renderer does. Where the picture shows twice (stacked, blur) a muted copy of the video follows
// the original's time and play state.
//
// Contract (docs/editor.md): window.tccgLayoutView.apply(stage, video, layout, output)
//   stage  – an element; it gets the output's aspect ratio and shows the picture (its other children stay)
//   video  – a <video>; moved into the stage when it is not inside it already
//   layout – { mode: "fit"|"blur"|"crop"|"stacked", rect, top, bottom, split } as in a timeline file; null: fit
//   output – { width, height } of the compilation's output; null: 1920x1080
// Calling it again (new layout, new output, new video) replaces what the previous call set up;
// window.tccgLayoutView.clear(stage) takes it all away again.

const MARK = "data-tccg-lv";
const state = new WeakMap();

function num(v, fallback) {
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}

function rectOf(r) {
  if (!r) return { x: 0, y: 0, w: 1, h: 1 };
  const x = Math.min(Math.max(num(r.x, 0), 0), 1);
  const y = Math.min(Math.max(num(r.y, 0), 0), 1);
  const w = Math.min(Math.max(num(r.w, 1), 0.001), 1 - x || 0.001);
  const h = Math.min(Math.max(num(r.h, 1), 0.001), 1 - y || 0.001);
  return { x, y, w, h };
}

/** CSS (percent of the region) that shows `rect` of a vw x vh source filling a region of aspect `regionAspect`. */
export function cropStyle(rect, vw, vh, regionAspect) {
  let rx = rect.x * vw, ry = rect.y * vh, rw = rect.w * vw, rh = rect.h * vh;
  if (rw / rh > regionAspect) {
    const nw = rh * regionAspect;
    rx += (rw - nw) / 2;
    rw = nw;
  } else {
    const nh = rw / regionAspect;
    ry += (rh - nh) / 2;
    rh = nh;
  }
  return {
    width: (vw / rw) * 100 + "%",
    height: (vh / rh) * 100 + "%",
    left: (-rx / rw) * 100 + "%",
    top: (-ry / rh) * 100 + "%",
  };
}

function region(stage, top, height) {
  const div = document.createElement("div");
  div.setAttribute(MARK, "region");
  Object.assign(div.style, {
    position: "absolute", left: "0", width: "100%", top: top * 100 + "%", height: height * 100 + "%",
    overflow: "hidden", pointerEvents: "none",
  });
  stage.appendChild(div);
  return div;
}

function copyOf(video, follow) {
  const copy = video.cloneNode(false);
  copy.removeAttribute("id");
  copy.removeAttribute("controls");
  copy.muted = true;
  copy.setAttribute("muted", "");
  copy.setAttribute("playsinline", "");
  copy.setAttribute(MARK, "copy");
  copy.setAttribute("aria-hidden", "true");
  copy.tabIndex = -1;
  const sync = () => {
    if (Math.abs(copy.currentTime - video.currentTime) > 0.15) copy.currentTime = video.currentTime;
    copy.playbackRate = video.playbackRate;
    if (video.paused && !copy.paused) copy.pause();
    if (!video.paused && copy.paused) copy.play().catch(() => {});
  };
  const events = ["play", "pause", "seeked", "timeupdate", "ratechange"];
  events.forEach((e) => video.addEventListener(e, sync));
  follow.push(() => events.forEach((e) => video.removeEventListener(e, sync)));
  copy.addEventListener("loadedmetadata", sync, { once: true });
  return copy;
}

function place(el, style) {
  Object.assign(el.style, { position: "absolute", maxWidth: "none", maxHeight: "none", objectFit: "fill", margin: "0" }, style);
}

function fill(el) {
  place(el, { left: "0", top: "0", width: "100%", height: "100%", objectFit: "contain" });
}

export function clear(stage) {
  const s = state.get(stage);
  if (!s) return;
  s.undo.forEach((f) => f());
  stage.querySelectorAll(`[${MARK}="copy"]`).forEach((c) => c.remove());
  const video = s.video;
  if (video && video.parentElement && video.parentElement !== stage && video.parentElement.hasAttribute(MARK)) stage.appendChild(video);
  stage.querySelectorAll(`[${MARK}="region"]`).forEach((r) => r.remove());
  if (video) video.removeAttribute("style");
  state.delete(stage);
  stage.removeAttribute("data-layout");
}

/** Re-places what an earlier apply set up, when only the rects or the split changed (cheap: for live dragging). */
function reuse(stage, video, layout, output) {
  const s = state.get(stage);
  const mode = (layout && layout.mode) || "fit";
  const ow = num(output && output.width, 1920), oh = num(output && output.height, 1080);
  if (!s || !s.drawn || s.video !== video || s.mode !== mode || s.output.width !== ow || s.output.height !== oh) return false;
  const vw = video.videoWidth, vh = video.videoHeight;
  if (mode === "crop") {
    place(video, cropStyle(rectOf(layout.rect), vw, vh, ow / oh));
  } else if (mode === "stacked") {
    const split = Math.min(Math.max(num(layout.split, 0.4), 0.1), 0.9);
    Object.assign(s.top.style, { top: "0", height: split * 100 + "%" });
    Object.assign(s.bottom.style, { top: split * 100 + "%", height: (1 - split) * 100 + "%" });
    place(s.copy, cropStyle(rectOf(layout.top), vw, vh, ow / (oh * split)));
    place(video, cropStyle(rectOf(layout.bottom), vw, vh, ow / (oh * (1 - split))));
  }
  s.layout = layout;
  return true;
}

export function apply(stage, video, layout, output) {
  if (!stage || !video) return;
  if (reuse(stage, video, layout, output)) return;
  clear(stage);
  const ow = num(output && output.width, 1920), oh = num(output && output.height, 1080);
  const mode = (layout && layout.mode) || "fit";
  const s = { video, undo: [], layout, mode, drawn: false, output: { width: ow, height: oh } };
  state.set(stage, s);
  Object.assign(stage.style, { position: "relative", overflow: "hidden", aspectRatio: `${ow} / ${oh}`, background: "#000" });
  if (!stage.contains(video)) stage.appendChild(video);

  stage.setAttribute("data-layout", mode);
  const draw = () => {
    const vw = video.videoWidth, vh = video.videoHeight;
    if (!vw || !vh) {
      fill(video);
      return false;
    }
    if (mode === "crop") {
      const r = region(stage, 0, 1);
      r.appendChild(video);
      s.top = r;
      place(video, cropStyle(rectOf(layout.rect), vw, vh, ow / oh));
    } else if (mode === "stacked") {
      const split = Math.min(Math.max(num(layout.split, 0.4), 0.1), 0.9);
      const top = region(stage, 0, split), bottom = region(stage, split, 1 - split);
      const copy = copyOf(video, s.undo);
      top.appendChild(copy);
      place(copy, cropStyle(rectOf(layout.top), vw, vh, ow / (oh * split)));
      bottom.appendChild(video);
      place(video, cropStyle(rectOf(layout.bottom), vw, vh, ow / (oh * (1 - split))));
      Object.assign(s, { top, bottom, copy });
    } else if (mode === "blur") {
      const back = region(stage, 0, 1);
      const copy = copyOf(video, s.undo);
      back.appendChild(copy);
      place(copy, { left: "-5%", top: "-5%", width: "110%", height: "110%", objectFit: "cover", filter: "blur(12px) brightness(0.45)" });
      stage.appendChild(video);
      fill(video);
      video.style.zIndex = "1";
    } else {
      fill(video);
    }
    s.drawn = true;
    return true;
  };
  if (!draw()) {
    const later = () => {
      if (state.get(stage) === s) apply(stage, video, layout, output);
    };
    video.addEventListener("loadedmetadata", later, { once: true });
    s.undo.push(() => video.removeEventListener("loadedmetadata", later));
  }
}

window.tccgLayoutView = { apply, clear, cropStyle };
