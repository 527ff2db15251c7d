"""Runs the already-built `tspot serve` for the whole test session.

The binary comes from $TSPOT_BIN (default: target/debug/tspot in the repository). The server gets
a free port, a fresh data directory, an admin password, a trusted-authentication secret and the demo
on a small fact table (DEMO_ROWS sales rows); it is stopped with SIGTERM at the end and must exit
with status 0.

The `demo_db` fixture opens the demo's SQLite database (`<data-dir>/demo.sqlite3`) read-only, so the
tests compute every expected number with plain SQL, independently of the server's search engine.
"""

import dataclasses
import os
import pathlib
import signal
import socket
import sqlite3
import subprocess
import time

import pytest
import requests

REPO = pathlib.Path(__file__).resolve().parents[2]
ADMIN_USER = "tsadmin"
ADMIN_PASSWORD = "Py-Adm1n-Passw0rd!"
TRUSTED_AUTH_SECRET = "0f3a9c51-7d2e-4b86-a1c4-python-suite"
DEMO_ROWS = 5000


@dataclasses.dataclass(frozen=True)
class Server:
    url: str
    admin_password: str
    secret: str
    log: pathlib.Path
    data_dir: pathlib.Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _binary() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("TSPOT_BIN", "target/debug/tspot"))
    if not path.is_absolute():
        path = REPO / path
    if not path.is_file():
        pytest.exit(f"no tspot binary at {path}: run `cargo build -p tspot` first", returncode=2)
    return path


def _tail(log: pathlib.Path, lines: int = 60) -> str:
    try:
        return "\n".join(log.read_text().splitlines()[-lines:])
    except OSError:
        return "(no log)"


@pytest.fixture(scope="session")
def server(tmp_path_factory, request):
    base = tmp_path_factory.mktemp("tspot")
    log = base / "tspot.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, TSPOT_LOG="info", NO_COLOR="1")
    env.pop("TSPOT_ADMIN_PASSWORD", None)
    env.pop("TSPOT_TRUSTED_AUTH_SECRET", None)
    env.pop("TSPOT_DEMO_ROWS", None)
    env.pop("TSPOT_CONNECTIONS", None)
    data_dir = base / "data"
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            [
                str(_binary()), "serve",
                "--listen", f"127.0.0.1:{port}",
                "--data-dir", str(data_dir),
                "--admin-password", ADMIN_PASSWORD,
                "--trusted-auth-secret", TRUSTED_AUTH_SECRET,
                "--demo-rows", str(DEMO_ROWS),
            ],
            stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT, env=env,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.exit(f"tspot exited early ({process.returncode}):\n{_tail(log)}", returncode=3)
            try:
                if requests.get(f"{url}/openapi.json", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.exit(f"tspot did not answer within 60 s:\n{_tail(log)}", returncode=3)
            time.sleep(0.1)

        yield Server(url=url, admin_password=ADMIN_PASSWORD, secret=TRUSTED_AUTH_SECRET, log=log, data_dir=data_dir)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if request.session.testsfailed:
            print(f"\n--- last lines of the tspot log ({log}) ---\n{_tail(log)}")
    assert process.returncode == 0, f"tspot exited with {process.returncode} after SIGTERM:\n{_tail(log)}"


@pytest.fixture(scope="session")
def demo_db(server):
    """The demo's data, read-only: the source of every expected number."""
    path = server.data_dir / "demo.sqlite3"
    assert path.is_file(), f"tspot serve --demo-rows {DEMO_ROWS} created no {path}"
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (rows,) = connection.execute("SELECT count(*) FROM fact_sales").fetchone()
        assert rows == DEMO_ROWS, f"the demo has {rows} sales rows, not {DEMO_ROWS}"
        yield connection
    finally:
        connection.close()
