"""JSON-RPC over one keep-alive HTTP connection; errors become the project's exception types."""

from __future__ import annotations

import http.client
import itertools
import json
import urllib.parse

from ciro_fuzz.errors import ChainError, DevnetError


class Rpc:
    """A minimal JSON-RPC client: faster than a new connection per request, and thread-confined."""

    def __init__(self, url: str, timeout: float = 300.0):
        parsed = urllib.parse.urlparse(url if "://" in url else f"http://{url}")
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise DevnetError(f"not an RPC URL: {url!r}; give one like http://127.0.0.1:5050/rpc")
        self.url = url
        self._host, self._port = parsed.hostname, parsed.port or (443 if parsed.scheme == "https" else 80)
        self._https = parsed.scheme == "https"
        self._path = parsed.path or "/"
        self._timeout = timeout
        self._conn: http.client.HTTPConnection | None = None
        self._ids = itertools.count(1)

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._conn = cls(self._host, self._port, timeout=self._timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def post(self, body: str) -> bytes:
        """POST one JSON body; one reconnect, since a keep-alive connection the server closed is no error."""
        for attempt in (0, 1):
            try:
                conn = self._connection()
                conn.request("POST", self._path, body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                raw = response.read()
                break
            except (http.client.HTTPException, ConnectionError, OSError) as exc:
                self.close()
                if attempt:
                    raise DevnetError(
                        f"devnet at {self.url} is unreachable ({exc.__class__.__name__}: {exc}); "
                        "start one (`ciro-fuzz devnet`) or fix --rpc-url"
                    ) from exc
        if response.status != 200:
            raise ChainError(f"RPC at {self.url}: HTTP {response.status} {raw[:200]!r}")
        return raw

    def request(self, method: str, params: object = None) -> object:
        body = json.dumps({"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params or {}})
        reply = json.loads(self.post(body))
        if "error" in reply:
            raise RpcError(method, reply["error"])
        return reply["result"]


class RpcError(ChainError):
    """The node answered with a JSON-RPC error; ``code``, ``message`` and ``data`` are kept."""

    def __init__(self, method: str, error: dict):
        self.code = error.get("code")
        self.rpc_message = str(error.get("message", ""))
        self.data = error.get("data")
        detail = json.dumps(self.data)[:600] if self.data is not None else ""
        super().__init__(f"{method} failed: {self.rpc_message} {detail}")


def batch_request(rpc: Rpc, calls: list[tuple[str, object]]) -> list[object]:
    """Several requests in one JSON-RPC batch (one round trip); results in order, errors raised."""
    if not calls:
        return []
    body = json.dumps([{"jsonrpc": "2.0", "id": i, "method": m, "params": p or {}} for i, (m, p) in enumerate(calls)])
    replies = sorted(json.loads(rpc.post(body)), key=lambda r: r["id"])
    out = []
    for (method, _), reply in zip(calls, replies):
        if "error" in reply:
            raise RpcError(method, reply["error"])
        out.append(reply["result"])
    return out
