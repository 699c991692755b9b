// The structure editor: JSME (served from static/vendor/jsme/) draws the molecule, and the
// textarea underneath stays the form field: a V2000 molfile is written into it on every
// change, and what it held when the page loaded (a SMILES or a molfile) is drawn first.
// Without this script, or until JSME has loaded, the textarea alone is the input.
(function () {
  "use strict";
  if (window.cobenchStructureEditor) return;
  var waiting = [];
  var counter = 0;
  var requested = false;

  function setMode(box, mode) {
    var textarea = box.textarea;
    var canvas = box.querySelector(".structure-canvas");
    box.dataset.mode = mode;
    box.querySelectorAll(".structure-modes button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
    });
    canvas.hidden = mode !== "draw";
    textarea.hidden = mode === "draw";
    // a hidden required field would block the submit without saying why; the server checks
    if (textarea.dataset.required) textarea.required = mode !== "draw";
    if (mode === "draw") load(box, textarea.value);
  }

  // draw what the textarea holds when it changed since last drawn. JSME reports the read
  // later (its SMILES parser loads on first use); that report is not written back, so the
  // textarea keeps the text as typed.
  function load(box, text) {
    if (text === box.shown) return;
    box.shown = text;
    if (text.trim()) {
      box.reading = true;
      box.jsme.readGenericMolecularInput(text);
    } else box.jsme.reset();
  }

  function attach(box) {
    var textarea = (box.textarea = box.querySelector("textarea.structure-input"));
    var canvas = box.querySelector(".structure-canvas");
    canvas.id = canvas.id || "structure-canvas-" + ++counter;
    if (textarea.required) textarea.dataset.required = "1";
    canvas.hidden = false;
    var applet = new window.JSApplet.JSME(canvas.id, canvas.clientWidth + "px", canvas.clientHeight + "px", {
      options: "newlook,nosearchinchiKey,noquery,nocanonize",
    });
    box.jsme = applet;
    applet.setCallBack("AfterStructureModified", function (event) {
      if (event.origin === "API" && box.reading) {
        box.reading = false;
        return;
      }
      textarea.value = applet.smiles() ? applet.molFile() : "";
      box.shown = textarea.value;
      textarea.dispatchEvent(new Event("change", { bubbles: true }));
    });
    box.querySelector(".structure-modes").hidden = false;
    box.querySelectorAll(".structure-modes button").forEach(function (b) {
      b.addEventListener("click", function () { setMode(box, b.dataset.mode); });
    });
    setMode(box, "draw");
    box.dataset.editor = "ready";
    box.dispatchEvent(new CustomEvent("structure-editor:ready", { bubbles: true }));
  }

  function requestJsme(base) {
    if (requested) return;
    requested = true;
    // the script is served under a hashed name in production: tell GWT where its files are
    var meta = document.createElement("meta");
    meta.name = "gwt:property";
    meta.content = "baseUrl=" + base;
    document.head.appendChild(meta);
    var script = document.createElement("script");
    script.src = base + "jsme.nocache.js";
    document.head.appendChild(script);
  }

  // JSME takes its size when made: an editor in a closed <details> (a step form of the
  // request page) is made when it opens
  function whenShown(box, then) {
    var details = box.closest("details:not([open])");
    if (!details) return then(box);
    details.addEventListener("toggle", function opened() {
      if (!details.open) return;
      details.removeEventListener("toggle", opened);
      whenShown(box, then);
    });
  }

  function scan(root) {
    (root || document).querySelectorAll(".structure-editor:not([data-editor])").forEach(function (box) {
      box.dataset.editor = "waiting";
      if (window.JSApplet) whenShown(box, attach);
      else {
        waiting.push(box);
        requestJsme(box.dataset.jsme);
      }
    });
  }

  window.jsmeOnLoad = function () {
    waiting.splice(0).forEach(function (box) { whenShown(box, attach); });
  };
  window.cobenchStructureEditor = { scan: scan };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { scan(); });
  else scan();
  document.addEventListener("htmx:load", function (e) { scan(e.target); });
})();
