"""Build real sites for the tests: a project folder, `scorecard build`, and a local HTTP server."""

from __future__ import annotations

import functools
import http.server
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path


from scorecard.cli import main

ROOT = Path(__file__).resolve().parent.parent


def project(folder: Path, initiatives: Path, site_url: str | None = None, edit_url: str | None = None,
            as_of: str | None = None, policy: str | None = None) -> Path:
    """A mkdocs.yml in `folder` like the repository's, reading `initiatives`; returns its path.

    The example's pinned `as_of` is replaced by `as_of` (none: the last complete month is judged)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"^(\s+)as_of: .*\n", lambda m: f"{m.group(1)}as_of: {as_of}\n" if as_of else "", text, flags=re.M)
    if edit_url is not None:
        text = re.sub(r"^(\s+edit_url: ).*$", lambda m: m.group(1) + edit_url, text, count=1, flags=re.M)
    if site_url:
        text = re.sub(r"^site_url: .*$", f"site_url: {site_url}", text, count=1, flags=re.M)
    text = text.replace("initiatives: initiatives", f"initiatives: {initiatives}")
    # the example's own policy (its sources) is not the tests': a policy only when asked for
    text = re.sub(r"^(\s+)#? ?policy: .*\n", lambda m: f"{m.group(1)}policy: {policy}\n" if policy else "", text,
                  count=1, flags=re.M)
    config = folder / "mkdocs.yml"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "docs").mkdir(exist_ok=True)
    config.write_text(text, encoding="utf-8")
    return config


def build(config: Path, site: Path, *args: str) -> int:
    return main(["build", "--config", str(config), "--site-dir", str(site), *args])


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(site: Path, port: int = 0) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 (a free port unless given); yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class Html(HTMLParser):
    """Every start tag with its attributes, the text of each <script> and <template>, and the visible text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None
        self.title = ""
        self._in_title = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "template"):
            self._script = dict(attrs, element=tag)
            self.scripts.append((self._script, ""))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "template"):
            self._script = None
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif self._in_title:
            self.title += data
        else:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())
