"""A tiny HTTP proxy that sends each request to the next of several backends in turn.

Per request, not per connection: a client that keeps its connection alive (as `requests` does)
still alternates between the replicas, so a session opened through one is used through the
other at the very next call. Bodies are read whole (the suite's are small); `Set-Cookie` and
every other header pass through unchanged, as does the client's `Host` (the replicas check
redirect targets against it).

    python3 tests/replicas/roundrobin.py 127.0.0.1:8000 127.0.0.1:8001 127.0.0.1:8002
"""

import http.client
import http.server
import itertools
import sys
import threading

# Hop-by-hop headers (RFC 9110 7.6.1) and the framing this proxy sets itself.
SKIPPED = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
           "upgrade", "content-length"}


class RoundRobin(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, listen, backends):
        self.turns = itertools.cycle(backends)
        self.lock = threading.Lock()
        self.sent = {backend: 0 for backend in backends}
        super().__init__(listen, Handler)

    def next_backend(self):
        with self.lock:
            backend = next(self.turns)
            self.sent[backend] += 1
            return backend


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        host, port = self.server.next_backend()
        upstream = http.client.HTTPConnection(host, port, timeout=120)
        try:
            headers = {}
            for name, value in self.headers.items():
                if name.lower() not in SKIPPED:
                    headers.setdefault(name, []).append(value)
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, values in headers.items():
                for value in values:
                    upstream.putheader(name, value)
            upstream.putheader("Content-Length", str(len(body or b"")))
            upstream.endheaders(body)
            response = upstream.getresponse()
            data = response.read()
            self.send_response_only(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in SKIPPED:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
        except OSError as error:
            message = f"the proxy could not reach {host}:{port}: {error}".encode()
            self.send_response_only(502)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(message)))
            self.end_headers()
            self.wfile.write(message)
        finally:
            upstream.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = forward


def start(listen, backends):
    """Serves on `listen` ((host, port)) in a daemon thread; returns the server (`shutdown()`)."""
    server = RoundRobin(listen, backends)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _address(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(f"usage: {sys.argv[0]} LISTEN_HOST:PORT BACKEND_HOST:PORT...")
    RoundRobin(_address(sys.argv[1]), [_address(a) for a in sys.argv[2:]]).serve_forever()
