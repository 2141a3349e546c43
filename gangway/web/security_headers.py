"""Security headers on every response: strict CSP (no inline script), no framing, no sniffing."""

from __future__ import annotations

# 'wasm-unsafe-eval' lets the vendored barcode polyfill compile its WebAssembly;
# nothing else is evaluated.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "worker-src 'self' blob:",  # the watch's service worker (/watch/sw.js)
        "manifest-src 'self'",  # the installable watch app
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(self), microphone=(), geolocation=()"),
    ("Vary", "HX-Request"),  # caches must never mix a page with its htmx fragment
)


def init_app(app):
    """Register the after-request hook."""

    @app.after_request
    def _headers(response):
        # One pass over the names present: Headers.setdefault raises and catches a KeyError
        # per missing header, which cost more than the rest of a small API answer.
        h = response.headers
        present = {name.lower() for name, _ in h.items()}
        for name, value in HEADERS:
            if name.lower() not in present:
                h.add(name, value)
            elif name == "Vary":
                response.vary.add(value)
        return response
