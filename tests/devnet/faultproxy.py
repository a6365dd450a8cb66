"""A small HTTP proxy between the SDK and devnet that injects faults on purpose: refused connections (the
listener is closed for a while), delayed replies, and replies dropped after devnet has executed the
request (the case where a naive retry sends a transaction twice)."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FaultProxy:
    """Forwards JSON-RPC POSTs to ``upstream``; faults are armed per JSON-RPC method and counted."""

    def __init__(self, upstream: str):
        self.upstream = upstream
        self._lock = threading.Lock()
        self._drop: dict[str, int] = {}
        self._delay: dict[str, int] = {}
        self._delay_seconds: dict[str, float] = {}
        self.dropped = 0
        self.delayed = 0
        self.forwarded: dict[str, int] = {}
        self._server: ThreadingHTTPServer | None = None
        self.port = 0
        self._serve()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/rpc"

    def set_upstream(self, upstream: str) -> None:
        with self._lock:
            self.upstream = upstream

    def drop_replies(self, method: str, count: int) -> None:
        """The next ``count`` requests of ``method`` reach devnet, but their replies are never sent."""
        with self._lock:
            self._drop[method] = count

    def delay_replies(self, method: str, count: int, seconds: float) -> None:
        with self._lock:
            self._delay[method], self._delay_seconds[method] = count, seconds

    def refuse_for(self, seconds: float) -> None:
        """Close the listener: connections are refused until it reopens on the same port."""
        self._stop()
        threading.Timer(seconds, self._serve).start()

    def close(self) -> None:
        self._stop()

    # internals -------------------------------------------------------------------------------------
    def _serve(self) -> None:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                proxy._handle(self, body)

        for _ in range(50):  # the port may linger a moment after a close
            try:
                self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"fault proxy cannot listen on port {self.port} again")
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _take(self, table: dict[str, int], method: str) -> bool:
        """Whether a fault armed for ``method`` is left, using it up."""
        with self._lock:
            if not table.get(method):
                return False
            table[method] -= 1
            return True

    def _handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        try:
            parsed = json.loads(body)
            method = parsed.get("method", "") if isinstance(parsed, dict) else "batch"
        except ValueError:
            method = ""
        with self._lock:
            self.forwarded[method] = self.forwarded.get(method, 0) + 1
            upstream = urllib.parse.urlparse(self.upstream)
        if self._take(self._delay, method):
            self.delayed += 1
            time.sleep(self._delay_seconds[method])
        try:
            conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
            conn.request("POST", upstream.path or "/", body, {"Content-Type": "application/json"})
            reply = conn.getresponse()
            status, data = reply.status, reply.read()
            conn.close()
        except OSError:  # devnet itself is down: the client sees a gateway error
            status, data = 502, b"upstream down"
        if self._take(self._drop, method):
            self.dropped += 1
            handler.close_connection = True
            handler.connection.close()  # devnet executed it; the reply never arrives
            return
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
