/* Safe photo: find faces on the phone, cover them, save a copy with no metadata.
 * Nothing here sends the photo anywhere: no fetch, no upload. The only requests are the
 * face finder's script and its model's two files, loaded once the page is painted and usable
 * (and cached by the page's worker on the first visit).
 */
(() => {
  "use strict";

  const cfg = JSON.parse(document.getElementById("photo-config").textContent);
  const t = JSON.parse(document.getElementById("photo-strings").textContent);
  const $ = (id) => document.getElementById(id);
  const state = $("photo-state");
  const check = $("photo-check");
  const input = $("photo-input");
  const editor = $("editor");
  const canvas = $("photo-canvas");
  const ctx = canvas.getContext("2d");

  const INPUT_SIZE = 608; // the detector's largest input: finds the smallest faces
  const SCORE = 0.3; // below face-api's 0.5: a missed face costs more than an extra box
  // Big photos are also searched in overlapping tiles of this size. 600 px (1:1 at the
  // input) should find more 40-79 px faces at 2.6 times the passes: measure it (docs/photos.md).
  const TILE = 1000;
  const DRAG_PX = 8; // shorter than this is a tap (remove a box), longer draws a box
  const JPEG_QUALITY = 0.9;

  let detectorReady = null; // a promise once loading starts: true when loaded, false if it failed
  let detectorLoaded = false;
  let photo = null; // the picked photo as an ImageBitmap, upright
  let boxes = []; // areas to cover, in the photo's pixels: {x, y, w, h}
  let history = [];
  let style = "solid";
  let drag = null;

  const say = (text) => {
    state.textContent = text;
  };

  // --- The face model: loaded after the page is painted and its picker works. ---
  // face-api with TensorFlow.js is 1.3 MB of script, and its start-up runs for seconds on a
  // slow phone: added by this script, not by a tag in the page's head.
  function addScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  }

  async function loadDetector() {
    await workerSettled;
    if (!window.faceapi) await addScript(cfg.detector);
    if (!window.faceapi) throw new Error("face-api missing");
    const tf = window.faceapi.tf;
    tf.enableProdMode();
    await tf.ready();
    const [manifest, weights] = await Promise.all([
      fetch(cfg.model.manifest).then((r) => r.json()),
      fetch(cfg.model.weights).then((r) => r.arrayBuffer()),
    ]);
    const map = tf.io.decodeWeights(weights, manifest[0].weights);
    window.faceapi.nets.tinyFaceDetector.loadFromWeightMap(map);
    return true;
  }

  // One run on a blank picture compiles the detector's kernels: the longest part of its
  // start-up (seconds on a slow phone). Done when the picker is first used, while the person
  // chooses a photo, so the page never freezes on its own and the first scrub is not slower.
  let warmed = null;
  function warmUp() {
    warmed ||= startDetector().then(async (ok) => {
      if (!ok) return;
      const blank = document.createElement("canvas");
      blank.width = blank.height = 64;
      try {
        await window.faceapi.detectAllFaces(blank, options());
      } catch {
        // The photo's own detection reports a detector that does not run.
      }
    });
    return warmed;
  }

  function options() {
    return new window.faceapi.TinyFaceDetectorOptions({
      inputSize: INPUT_SIZE,
      scoreThreshold: SCORE,
    });
  }

  // Run the detector on one region of the photo; return boxes in the photo's pixels.
  async function detectRegion(x, y, w, h) {
    const scale = Math.min(1, INPUT_SIZE / Math.max(w, h));
    const region = document.createElement("canvas");
    region.width = Math.max(1, Math.round(w * scale));
    region.height = Math.max(1, Math.round(h * scale));
    region.getContext("2d").drawImage(photo, x, y, w, h, 0, 0, region.width, region.height);
    const found = await window.faceapi.detectAllFaces(region, options());
    return found.map(({ box }) => ({
      x: x + box.x / scale,
      y: y + box.y / scale,
      w: box.width / scale,
      h: box.height / scale,
    }));
  }

  // The whole photo finds big faces; overlapping tiles find small ones in big photos.
  async function detectFaces() {
    const W = photo.width;
    const H = photo.height;
    let found = await detectRegion(0, 0, W, H);
    if (Math.max(W, H) > TILE * 1.2) {
      const stride = Math.round(TILE * 0.75);
      for (const y of starts(H, stride)) {
        for (const x of starts(W, stride)) {
          found = found.concat(
            await detectRegion(x, y, Math.min(TILE, W - x), Math.min(TILE, H - y)),
          );
        }
      }
    }
    return merge(found).map((b) => grow(b, cfg.margin, W, H));
  }

  function starts(length, stride) {
    const out = [];
    for (let s = 0; s + TILE < length; s += stride) out.push(s);
    out.push(Math.max(0, length - TILE));
    return out;
  }

  const area = (b) => b.w * b.h;
  function overlap(a, b) {
    const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
    const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
    return ix * iy;
  }

  // Boxes of one face (from the whole photo and from tiles) become their union.
  function merge(list) {
    const kept = [];
    for (const box of list.slice().sort((a, b) => area(b) - area(a))) {
      const same = kept.find((k) => {
        const inter = overlap(box, k);
        return inter / (area(box) + area(k) - inter) > 0.3 || inter / area(box) > 0.7;
      });
      if (same) {
        const x1 = Math.max(same.x + same.w, box.x + box.w);
        const y1 = Math.max(same.y + same.h, box.y + box.h);
        same.x = Math.min(same.x, box.x);
        same.y = Math.min(same.y, box.y);
        same.w = x1 - same.x;
        same.h = y1 - same.y;
      } else {
        kept.push({ ...box });
      }
    }
    return kept;
  }

  // Detectors stop at brows and chin; hair and ears identify people too.
  function grow(b, margin, W, H) {
    const x0 = Math.max(0, Math.floor(b.x - b.w * margin));
    const y0 = Math.max(0, Math.floor(b.y - b.h * margin));
    const x1 = Math.min(W, Math.ceil(b.x + b.w * (1 + margin)));
    const y1 = Math.min(H, Math.ceil(b.y + b.h * (1 + margin)));
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }

  // --- Drawing: the canvas always holds exactly what will be saved. ---
  function render() {
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(photo, 0, 0);
    for (const b of boxes) cover(b);
  }

  function cover(b) {
    if (style === "solid") {
      ctx.fillStyle = "#000";
      ctx.fillRect(b.x, b.y, b.w, b.h);
      return;
    }
    // Shrink the area to a few cells and stretch it back: blocks, or a smear when smoothed.
    const cells = style === "pixelate" ? 8 : 4;
    const small = document.createElement("canvas");
    small.width = cells;
    small.height = Math.max(1, Math.round((cells * b.h) / b.w));
    small.getContext("2d").drawImage(photo, b.x, b.y, b.w, b.h, 0, 0, small.width, small.height);
    ctx.imageSmoothingEnabled = style === "blur";
    ctx.drawImage(small, 0, 0, small.width, small.height, b.x, b.y, b.w, b.h);
    ctx.imageSmoothingEnabled = true;
  }

  function remember() {
    history.push(boxes.map((b) => ({ ...b })));
  }

  // --- Picking a photo ---
  async function open(file) {
    delete document.body.dataset.scrubbed;
    check.hidden = true;
    say(t.reading);
    try {
      // "from-image" turns the pixels by the EXIF orientation, which the copy will not carry.
      photo = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch {
      say(t.unreadable);
      return;
    }
    canvas.width = photo.width;
    canvas.height = photo.height;
    boxes = [];
    history = [];
    render();
    editor.hidden = false;
    // Picked before the face finder is ready: the photo is shown and waits for it.
    if (!detectorLoaded) say(t.loading);
    if (!(await startDetector())) {
      say(t.failed);
    } else {
      say(t.finding);
      await warmed; // a warm-up under way finishes first: the two would share the kernels
      boxes = await detectFaces();
      render();
      say(boxes.length ? t.found.replace("%(n)s", boxes.length) : t.none);
    }
    // Never a silent pass: detectors miss faces, so the person always checks.
    check.textContent = t.check;
    check.hidden = false;
    // For the browser test and the benchmark: how many boxes, and where (the page's own DOM).
    document.body.dataset.boxes = JSON.stringify(boxes);
    document.body.dataset.scrubbed = String(boxes.length);
  }

  // --- Editing: drag to add a box, tap a box to remove it ---
  function point(event) {
    const rect = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) * canvas.width) / rect.width,
      y: ((event.clientY - rect.top) * canvas.height) / rect.height,
      cssX: event.clientX,
      cssY: event.clientY,
    };
  }

  canvas.addEventListener("pointerdown", (event) => {
    if (!photo) return;
    canvas.setPointerCapture(event.pointerId);
    drag = { start: point(event), end: null };
  });

  canvas.addEventListener("pointermove", (event) => {
    if (!drag) return;
    drag.end = point(event);
    if (Math.hypot(drag.end.cssX - drag.start.cssX, drag.end.cssY - drag.start.cssY) < DRAG_PX) {
      return;
    }
    render();
    const b = rectOf(drag.start, drag.end);
    ctx.lineWidth = Math.max(2, canvas.width / 300);
    ctx.strokeStyle = "#ffeb3b";
    ctx.strokeRect(b.x, b.y, b.w, b.h);
  });

  canvas.addEventListener("pointerup", (event) => {
    if (!drag) return;
    const end = point(event);
    const moved = Math.hypot(end.cssX - drag.start.cssX, end.cssY - drag.start.cssY);
    if (moved >= DRAG_PX) {
      remember();
      boxes.push(rectOf(drag.start, end));
    } else {
      const hit = boxes.findLastIndex(
        (b) => end.x >= b.x && end.x <= b.x + b.w && end.y >= b.y && end.y <= b.y + b.h,
      );
      if (hit >= 0) {
        remember();
        boxes.splice(hit, 1);
      }
    }
    drag = null;
    render();
  });

  canvas.addEventListener("pointercancel", () => {
    drag = null;
    render();
  });

  function rectOf(a, b) {
    const x = Math.max(0, Math.min(a.x, b.x));
    const y = Math.max(0, Math.min(a.y, b.y));
    return {
      x: Math.round(x),
      y: Math.round(y),
      w: Math.round(Math.min(canvas.width, Math.max(a.x, b.x)) - x),
      h: Math.round(Math.min(canvas.height, Math.max(a.y, b.y)) - y),
    };
  }

  $("undo").addEventListener("click", () => {
    if (history.length) {
      boxes = history.pop();
      render();
    }
  });

  $("start-over").addEventListener("click", () => {
    input.value = "";
    input.click();
  });

  for (const radio of document.querySelectorAll('input[name="cover-style"]')) {
    radio.addEventListener("change", () => {
      style = radio.value;
      $("style-warning").hidden = style === "solid";
      if (photo) render();
    });
  }

  // --- Saving: a fresh JPEG from the canvas's pixels carries no EXIF, GPS or thumbnail. ---
  async function encode() {
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", JPEG_QUALITY));
    return new Blob([stripJpeg(new Uint8Array(await blob.arrayBuffer()))], {
      type: "image/jpeg",
    });
  }

  // Browsers' encoders add segments of their own (Chrome an ICC profile, Safari a small EXIF);
  // keep only the JFIF header and what decoding needs: drop every APP1-APP15 and comment.
  function stripJpeg(bytes) {
    const keep = [bytes.subarray(0, 2)]; // start of image
    let i = 2;
    while (i + 4 <= bytes.length && bytes[i] === 0xff) {
      const marker = bytes[i + 1];
      if (marker === 0xda) break; // start of scan: pixels follow
      const end = i + 2 + ((bytes[i + 2] << 8) | bytes[i + 3]);
      const metadata = (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe;
      if (!metadata) keep.push(bytes.subarray(i, end));
      i = end;
    }
    keep.push(bytes.subarray(i));
    const out = new Uint8Array(keep.reduce((n, part) => n + part.length, 0));
    let at = 0;
    for (const part of keep) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  $("save").addEventListener("click", async () => {
    const blob = await encode();
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `${t.fileName}.jpg`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    say(t.saved);
  });

  const probe = new File([new Blob()], "x.jpg", { type: "image/jpeg" });
  if (navigator.canShare?.({ files: [probe] })) {
    $("share").hidden = false;
    $("share").addEventListener("click", async () => {
      const file = new File([await encode()], `${t.fileName}.jpg`, { type: "image/jpeg" });
      try {
        await navigator.share({ files: [file] });
      } catch (error) {
        if (error.name !== "AbortError") say(t.shareFailed);
      }
    });
  }

  input.addEventListener("change", () => {
    if (input.files.length) open(input.files[0]);
  });

  function startDetector() {
    if (detectorReady) return detectorReady;
    if (!photo) say(t.loading);
    detectorReady = loadDetector().then(
      () => {
        detectorLoaded = true;
        if (!photo) say(t.ready);
        document.body.dataset.ready = "detector";
        document.body.dataset.tile = String(TILE);
        return true;
      },
      () => {
        say(t.failed);
        document.body.dataset.ready = "manual";
        return false;
      },
    );
    return detectorReady;
  }

  // First visit: the page's worker is fetching the script and the model into its cache right
  // now, and fetching them beside it would send 1.5 MB twice over a bad network. So the load
  // waits until the worker controls the page (they then come from its cache) or has failed.
  function settle(registration) {
    const worker = registration.installing || registration.waiting;
    if (navigator.serviceWorker.controller || !worker) return Promise.resolve();
    return new Promise((resolve) => {
      navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true });
      worker.addEventListener("statechange", () => {
        if (worker.state === "redundant") resolve();
      });
    });
  }

  // --- Start: the worker keeps this page and the model for offline use. ---
  const workerSettled =
    "serviceWorker" in navigator
      ? navigator.serviceWorker
          .register(cfg.sw, { scope: cfg.scope })
          .then(settle)
          .catch(() => null)
      : Promise.resolve();
  // The script and the model's two files once the page has loaded and painted, in idle time;
  // a photo picked sooner starts the load itself and waits for it. The kernels compile on the
  // first use of the picker (warmUp). As a tag in the page's head the script and its start-up
  // froze the page for seconds before the picker answered (docs/photos.md).
  const idle = () => (window.requestIdleCallback || setTimeout)(() => startDetector());
  if (document.readyState === "complete") idle();
  else window.addEventListener("load", idle, { once: true });
  input.addEventListener("click", warmUp);
})();
