"""A page to PNG in headless Chromium (Playwright), for exporting Bokeh
layouts where Bokeh's own export_png would need Selenium and a driver.

Chromium: $PKTLAB_CHROMIUM, else /usr/bin/chromium (Debian's), else
Playwright's own browser. The page is shot once its Bokeh views rendered.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading


def _chromium() -> str | None:
    path = os.environ.get("PKTLAB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if os.path.exists(path) else None


def html_to_png(page: str, path: str, timeout_ms: int = 30000) -> str:
    """Render `page` and write the PNG to `path`. Playwright's sync API refuses
    to run where an asyncio loop runs (a Jupyter kernel's thread), so it runs
    in a thread of its own."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise RuntimeError("export to PNG needs Playwright (pip install playwright) and a "
                           "Chromium (Debian: apt-get install chromium); .html needs neither") \
            from None
    failed: list[BaseException] = []

    def shoot():
        try:
            _shoot(page, path, timeout_ms)
        except BaseException as e:          # re-raised in the caller's thread
            failed.append(e)

    t = threading.Thread(target=shoot, name="pktlab-png", daemon=True)
    t.start()
    t.join()
    if failed:
        raise failed[0]
    return path


def _shoot(page: str, path: str, timeout_ms: int) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="pktlab-png-") as d:
        src = os.path.join(d, "page.html")
        with open(src, "w", encoding="utf-8") as f:
            f.write(page)
        with sync_playwright() as pw:
            exe = _chromium()
            browser = pw.chromium.launch(
                executable_path=exe, headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            try:
                tab = browser.new_page(viewport={"width": 1200, "height": 800})
                tab.goto(f"file://{src}")
                tab.wait_for_function(
                    "() => window.Bokeh && Bokeh.index && Object.keys(Bokeh.index).length > 0",
                    timeout=timeout_ms)
                tab.wait_for_timeout(300)              # the canvases' last paint
                tab.screenshot(path=path, full_page=True)
            finally:
                browser.close()


__all__ = ["html_to_png"]
