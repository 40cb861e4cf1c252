"""A real HTTP receiver on 127.0.0.1 in a thread, as a municipality's system would run one:
it verifies each request's Standard Webhooks signature with the ``standardwebhooks``
library, refuses a replay (a ``webhook-id`` it already took, or a timestamp outside the
library's five minutes), and answers as its ``plan`` says (an error code, or a pause longer
than the portal's timeout) before it starts answering 204."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Receiver:
    secret: str = ""
    plan: list = field(default_factory=list)  # per request: an int status, or ("sleep", s)
    received: list[Received] = field(default_factory=list)
    accepted: list[dict] = field(default_factory=list)
    seen_ids: set[str] = field(default_factory=set)
    url: str = ""

    def answer(self, headers: dict[str, str], body: bytes) -> int:
        if self.plan:
            step = self.plan.pop(0)
            if isinstance(step, tuple):
                time.sleep(step[1])  # longer than the portal waits: a timeout there
                return 204
            return step
        try:
            payload = Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError:
            return 401
        if headers["webhook-id"] in self.seen_ids:
            return 409  # a replay: taken once already
        self.seen_ids.add(headers["webhook-id"])
        self.accepted.append(payload)
        return 204


class _Handler(BaseHTTPRequestHandler):
    receiver: Receiver

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        status = self.receiver.answer(headers, body)
        self.receiver.received.append(Received(headers, body, status))
        try:
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()
        except OSError:
            pass  # the portal gave up waiting

    def log_message(self, *_args):
        pass


class running:
    """``with running(Receiver(...)) as receiver:`` serves until the block ends."""

    def __init__(self, receiver: Receiver) -> None:
        handler = type("Handler", (_Handler,), {"receiver": receiver})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        receiver.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.receiver = receiver
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self.receiver

    def __exit__(self, *_exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
