"""The graph widget's front end as anywidget loads it: once per page.

anywidget imports a widget's `_esm` text as a module of its own for every
widget it shows, and a browser never frees an imported module: with the
1.5 MB bundle (elkjs) as `_esm`, each %%click re-run left ~7 MiB of JS heap
behind; and the page keeps every widget's opening message, so the bundle
must not travel with each widget either (~1.5 MiB per re-run). So `_esm` is
a small loader: the first graph widget of a page asks the kernel for the
bundle (a custom message, `{"op": "bundle"}`, answered by GraphWidget), the
loader imports it and keeps the module on `window` under the bundle's hash
(a rebuilt front end is loaded afresh); later widgets reuse it.
"""

from __future__ import annotations

import hashlib
import json
import pathlib

__all__ = ["BUNDLE", "CSS", "ESM"]

_STATIC = pathlib.Path(__file__).resolve().parent.parent / "static"   # built by make setup
_MISSING = """export default { render({ el }) {
  el.textContent = "pktlab: the widget's front end is not built (run 'make setup' in the "
    + "pktlab checkout, or reinstall pktlab)"; } };"""

_js = _STATIC / "widget.js"
BUNDLE = _js.read_text(encoding="utf-8") if _js.exists() else ""
CSS = (_STATIC / "widget.css").read_text(encoding="utf-8") if (_STATIC / "widget.css").exists() \
    else ""
_KEY = hashlib.sha256(BUNDLE.encode()).hexdigest()[:16]
_LOADER = """const KEY = %s;
// Every widget shown before the bundle arrived asks for it; the first reply wins.
function load(model) {
  const cache = (window.__pktlabWidget ??= {});
  let entry = cache[KEY];
  if (!entry) {
    let resolve;
    const text = new Promise(r => (resolve = r));
    entry = cache[KEY] = { resolve, done: false };
    entry.mod = text.then(t => {
      const url = URL.createObjectURL(new Blob([t], { type: "text/javascript" }));
      return import(/* webpackIgnore: true */ url).finally(() => URL.revokeObjectURL(url));
    });
    entry.mod.then(() => (entry.done = true));
  }
  if (!entry.done) {
    const on = msg => {
      if (msg && msg.op === "bundle") {
        model.off("msg:custom", on);
        entry.resolve(msg.text);
      }
    };
    model.on("msg:custom", on);
    model.send({ op: "bundle" });
  }
  return entry.mod;
}
export default {
  async render(ctx) {
    const mod = await load(ctx.model);
    return mod.default.render(ctx);
  }
};
""" % json.dumps(_KEY)
ESM = _LOADER if BUNDLE else _MISSING
