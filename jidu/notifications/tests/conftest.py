import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone


def local(*args):
    return timezone.make_aware(dt.datetime(*args))


class Receiver:
    """A tiny local webhook receiver: records every request (headers and raw body)."""

    def __init__(self, status=200):
        self.requests = []
        self.status = status
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with outer.lock:
                    outer.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def delivery_ids(self):
        return [r["headers"]["X-Jidu-Delivery"] for r in self.requests]

    def payloads(self):
        return [json.loads(r["body"]) for r in self.requests]


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def webhook(db, receiver):
    from jidu.notifications.models import Channel

    return Channel.objects.create(code="hook", name="测试 Webhook", kind="webhook", url=receiver.url,
                                  secret="s3cret-key", max_attempts=3)
