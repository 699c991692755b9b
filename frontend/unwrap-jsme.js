// JSME is compiled by GWT, whose loader fetches the editor's code as strings and runs them as
// inline scripts in a hidden iframe (eval(...)), which a Content-Security-Policy without
// 'unsafe-inline' and 'unsafe-eval' refuses. This rewrites the copy cobench serves so the same
// code arrives as ordinary script files in that iframe: `node unwrap-jsme.js DIR`.
"use strict";
const fs = require("fs");
const path = require("path");

const dir = process.argv[2];
const CLIPPED_ONLOAD = `<img onload='this.__gwtLastUnhandledEvent=\\"load\\";' src='`;  // in a JS string
const catching = () => {
  let code = null;
  const keep = (text) => { code = Array.isArray(text) ? text.join("") : text; };
  return { keep, code: () => code };
};

// each permutation's code, one file as the loader downloads it: jsme.onScriptDownloaded([...])
// (the InChI module beside them is a script of another kind: it is left as it is)
for (const name of fs.readdirSync(dir).filter((f) => /^[0-9A-F]{32}\.cache\.js$/.test(f))) {
  const file = path.join(dir, name);
  if (!fs.readFileSync(file, "utf8").startsWith("jsme.onScriptDownloaded(")) continue;
  const c = catching();
  new Function("jsme", fs.readFileSync(file, "utf8"))({ onScriptDownloaded: c.keep });
  if (c.code() === null) throw new Error(`${file}: not a GWT permutation`);
  // GWT's clipped images carry an inline onload handler (only to remember an early load event,
  // which the editor never asks for): the CSP refuses it, so it goes
  fs.writeFileSync(file, c.code().split(CLIPPED_ONLOAD).join("<img src='"));
}

// each split point ($wnd.jsme.runAsyncCallbackN('...')): its code beside it, and in its place a
// script that runs that code in the editor's iframe, where GWT would have put it inline
const deferred = path.join(dir, "deferredjs");
for (const strong of fs.existsSync(deferred) ? fs.readdirSync(deferred) : []) {
  for (const name of fs.readdirSync(path.join(deferred, strong))) {
    const match = /^(\d+)\.cache\.js$/.exec(name);
    if (!match) continue;
    const file = path.join(deferred, strong, name);
    const c = catching();
    const jsme = new Proxy({}, { get: () => c.keep });
    new Function("$wnd", fs.readFileSync(file, "utf8"))({ jsme });
    if (c.code() === null) throw new Error(`${file}: not a GWT fragment`);
    fs.writeFileSync(path.join(deferred, strong, `${match[1]}.code.js`), c.code());
    fs.writeFileSync(file, [
      "(function () {",
      "  // GWT injects this into the editor's iframe (or the page); the code goes to the iframe",
      "  var frame = window.jsme ? document.getElementById(\"jsme\").contentDocument : document;",
      `  delete (window.jsme || parent.jsme).runAsyncCallback${match[1]};`,
      '  var script = frame.createElement("script");',
      '  script.src = document.currentScript.src.replace(/\\.cache\\.js(\\?.*)?$/, ".code.js");',
      "  frame.body.appendChild(script);",
      "})();",
      "",
    ].join("\n"));
  }
}

// the loader: no javascript: URL for the iframe (it stays about:blank), and each permutation
// loaded by a script element in the iframe instead of inline there
const loader = path.join(dir, "jsme.nocache.js");
let text = fs.readFileSync(loader, "utf8");
const patches = [
  ["a.src=P;", ""],
  [
    "var n=p.createElement(_);n.src=k;p.getElementsByTagName(db)[0].appendChild(n)",
    "l(function(){var n=w().createElement(_);n.src=k;x().appendChild(n)})",
  ],
];
for (const [from, to] of patches) {
  if (text.split(from).length !== 2) throw new Error(`${loader}: expected one ${from}`);
  text = text.replace(from, to);
}
fs.writeFileSync(loader, text);
