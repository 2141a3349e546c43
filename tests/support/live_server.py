"""The app served over real HTTP on a free port, in a daemon thread (browser and HTTP-client
tests): werkzeug, not pytest-flask's multiprocessing live_server."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import dispose


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Flask


@contextmanager
def serving(app: Flask):
    """Serve `app` on a random port in a daemon thread; stop it and dispose of the app."""
    server = make_server("127.0.0.1", 0, buffered(app), threaded=True)
    # A short poll interval makes shutdown() return quickly (the default waits up to 0.5 s).
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server", daemon=True
    )
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        _let_requests_finish(timeout=5)
        dispose(app)


def buffered(app: Flask):
    """Wrap the app so that each response body is read (and its file closed) before it is sent.

    werkzeug's development server closes a response's file only after it has drained the
    request socket; a browser that resets the connection mid-page (a navigation) makes that
    read raise first, and the open static file is left to the garbage collector: a
    ResourceWarning, an error in whichever test runs then. Production servers (granian) are
    not affected; every response here is small.
    """

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


def _let_requests_finish(timeout: float) -> None:
    """Wait for the requests still being answered (the browser may have some in flight): a
    connection they hold goes back to the pool that dispose() closes, not to a discarded one
    where it would be dropped open (a ResourceWarning, an error, in a later test)."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(max(0.0, deadline - time.monotonic()))
