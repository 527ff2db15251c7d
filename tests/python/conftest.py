"""Runs the already-built `tspot serve` for the whole test session.

The binary comes from $TSPOT_BIN (default: target/debug/tspot in the repository). The server gets
a free port, a fresh data directory, an admin password, a trusted-authentication secret and the demo
on a small fact table (DEMO_ROWS sales rows); it is stopped with SIGTERM at the end and must exit
with status 0.

With TSPOT_REPLICAS_STORE set to a PostgreSQL URL (tests/replicas/run.sh), two `tspot serve`
share that store (and the data directory) behind a round-robin proxy (tests/replicas/roundrobin.py)
that sends each request to the other replica: the suite then checks that replicas act as one
server.

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

import sys

import pytest
import requests

REPO = pathlib.Path(__file__).resolve().parents[2]
ADMIN_USER = "tsadmin"
ADMIN_PASSWORD = "Py-Adm1n-Passw0rd!"
TRUSTED_AUTH_SECRET = "0f3a9c51-7d2e-4b86-a1c4-python-suite"
DEMO_ROWS = 5000
# A PostgreSQL store URL: the suite then runs against two replicas on it.
REPLICAS_STORE = os.environ.get("TSPOT_REPLICAS_STORE")


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


def _start(port: int, data_dir: pathlib.Path, log: pathlib.Path, env: dict) -> subprocess.Popen:
    store = ["--store", REPLICAS_STORE] if REPLICAS_STORE else []
    with open(log, "w") as log_file:
        return subprocess.Popen(
            [
                str(_binary()), "serve",
                "--listen", f"127.0.0.1:{port}",
                "--data-dir", str(data_dir),
                "--admin-password", ADMIN_PASSWORD,
                "--trusted-auth-secret", TRUSTED_AUTH_SECRET,
                "--demo-rows", str(DEMO_ROWS),
                *store,
            ],
            stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT, env=env,
        )


def _wait(process: subprocess.Popen, url: str, log: pathlib.Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            pytest.exit(f"tspot exited early ({process.returncode}):\n{_tail(log)}", returncode=3)
        try:
            if requests.get(f"{url}/openapi.json", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            pytest.exit(f"tspot did not answer within 60 s:\n{_tail(log)}", returncode=3)
        time.sleep(0.1)


@pytest.fixture(scope="session")
def server(tmp_path_factory, request):
    base = tmp_path_factory.mktemp("tspot")
    env = dict(os.environ, TSPOT_LOG="info", NO_COLOR="1")
    for variable in ("TSPOT_ADMIN_PASSWORD", "TSPOT_TRUSTED_AUTH_SECRET", "TSPOT_DEMO_ROWS",
                     "TSPOT_CONNECTIONS", "TSPOT_STORE"):
        env.pop(variable, None)
    data_dir = base / "data"
    replicas = 2 if REPLICAS_STORE else 1
    ports = [_free_port() for _ in range(replicas)]
    logs = [base / f"tspot-{n}.log" for n in range(replicas)]
    processes = []
    proxy = None
    try:
        for port, log in zip(ports, logs):
            # One after the other: the first sets a new store up, the second finds it set up.
            processes.append(_start(port, data_dir, log, env))
            _wait(processes[-1], f"http://127.0.0.1:{port}", log)
        url = f"http://127.0.0.1:{ports[0]}"
        if REPLICAS_STORE:
            sys.path.insert(0, str(REPO / "tests" / "replicas"))
            import roundrobin

            proxy_port = _free_port()
            proxy = roundrobin.start(("127.0.0.1", proxy_port), [("127.0.0.1", p) for p in ports])
            url = f"http://127.0.0.1:{proxy_port}"

        yield Server(url=url, admin_password=ADMIN_PASSWORD, secret=TRUSTED_AUTH_SECRET, log=logs[0], data_dir=data_dir)
    finally:
        if proxy is not None:
            proxy.shutdown()
            print(f"\nround-robin proxy: requests per replica {sorted(proxy.sent.values())}")
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if request.session.testsfailed:
            for log in logs:
                print(f"\n--- last lines of the tspot log ({log}) ---\n{_tail(log)}")
    for process, log in zip(processes, logs):
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
