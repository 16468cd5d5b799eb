"""A real PostgreSQL server for the sql source's tests: Debian's `postgresql` (installed by `./dev test`), a
private cluster in a temporary folder, on 127.0.0.1 and a socket of its own, with password authentication and
every statement logged (so that a test can count the queries a pull sent).

Run as root (CI), the cluster belongs to the `postgres` user, as PostgreSQL requires. Without the server the
tests skip, except where SCORECARD_REQUIRE_POSTGRES=1 (`.ci/run`) makes a missing server a failure.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PASSWORD = "s3cret-Pa55word!"
USER = "scorecard"
DATABASE = "ops"


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    log: Path
    bin: Path

    def url(self, password: bool = False) -> str:
        secret = f":{PASSWORD}" if password else ""
        return f"postgresql+psycopg://{USER}{secret}@{self.host}:{self.port}/{DATABASE}"

    def psql(self, sql: str) -> str:
        env = {**os.environ, "PGPASSWORD": PASSWORD}
        done = subprocess.run([str(self.bin / "psql"), "-h", self.host, "-p", str(self.port), "-U", USER, "-d",
                               DATABASE, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
                              capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def statements(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(cmd: list[str], root: bool) -> list[str]:
    return (["runuser", "-u", "postgres", "--"] + cmd) if root else cmd


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    binary = _bin()
    if binary is None:
        if os.environ.get("SCORECARD_REQUIRE_POSTGRES") == "1":
            pytest.fail("no PostgreSQL server (Debian's postgresql): ./dev test installs it as root")
        pytest.skip("no PostgreSQL server (Debian's postgresql)")
    with server(binary) as running:
        yield running


@contextlib.contextmanager
def server(binary: Path) -> Iterator[Server]:
    """A private cluster of the PostgreSQL in `binary`, stopped and removed on exit (benchmarks/pull.py uses it)."""
    root = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="scorecard-pg-"))
    data, sock, log = folder / "data", folder / "sock", folder / "server.log"
    sock.mkdir()
    pwfile = folder / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if root:
        shutil.chown(folder, "postgres")
        for p in (sock, pwfile):
            shutil.chown(p, "postgres")
    folder.chmod(0o755)
    port = _free_port()
    subprocess.run(_as_owner([str(binary / "initdb"), "-D", str(data), "-U", USER, "--pwfile", str(pwfile),
                              "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8",
                              "--locale=C"], root), check=True, capture_output=True, timeout=120)
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c log_statement=all "
               "-c log_min_messages=warning -c fsync=off")
    subprocess.run(_as_owner([str(binary / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"],
                             root), check=True, capture_output=True, timeout=120)
    running = Server("127.0.0.1", port, log, binary)
    env = {**os.environ, "PGPASSWORD": PASSWORD}
    subprocess.run([str(binary / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, DATABASE], check=True,
                   env=env, capture_output=True, timeout=60)
    try:
        yield running
    finally:
        subprocess.run(_as_owner([str(binary / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], root),
                       capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)
