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


def init_app(app):
    """Register the after-request hook."""

    @app.after_request
    def _headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
        return response
