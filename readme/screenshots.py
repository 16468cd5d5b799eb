"""The README's screenshots: the example portfolio's site in headless Chromium at a laptop (1366×768) and a
phone (390×844), light and dark. Run `./dev screenshots` after a change to the site's look, then open them.

Builds the example (its pinned month) into a temporary folder, serves it on 127.0.0.1 and writes
readme/*.png. Needs Chromium (`./dev test` installs it) and Playwright (the test extra).
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "readme"
SHOTS = [  # (file, page, width, height, scheme)
    ("home-laptop-light.png", "", 1366, 768, "light"),
    ("home-laptop-dark.png", "", 1366, 768, "dark"),
    ("home-phone-light.png", "", 390, 844, "light"),
    ("home-phone-dark.png", "", 390, 844, "dark"),
    ("initiative-laptop-light.png", "initiatives/contract-review/", 1366, 768, "light"),
    ("decisions-laptop-dark.png", "decisions/", 1366, 768, "dark"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "scorecard", "build", "--site-dir", str(site)], cwd=ROOT, env=env,
                       check=True)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium")
                for name, path, width, height, scheme in SHOTS:
                    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme,
                                            device_scale_factor=1)
                    page.goto(base + path, wait_until="networkidle")
                    page.wait_for_timeout(300)  # the charts' first paint
                    page.screenshot(path=str(OUT / name))
                    page.close()
                    print(f"wrote readme/{name}", file=sys.stderr)
                browser.close()
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
