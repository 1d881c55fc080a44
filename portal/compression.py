"""Gzip for the public pages, for clients that accept it.

Only the public blueprint is compressed: its pages are identical for everyone and carry no
session, no CSRF token and no personal data. A page that holds a secret (a CSRF token, a
name) next to text an attacker can influence must not be compressed, or the compressed
length leaks the secret byte by byte (the BREACH attack); so the login page and every
logged-in page go out uncompressed (nginx must not gzip them either: docs/performance.md).
"""

import gzip

from flask import request

MIN_BYTES = 1024
TEXT_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml")
COMPRESSED_BLUEPRINTS = ("public",)


def compress(response):
    """after_request: gzip a complete 200 public text response over :data:`MIN_BYTES`."""
    if (
        request.blueprint not in COMPRESSED_BLUEPRINTS
        or response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
        or not response.mimetype.startswith(TEXT_TYPES)
    ):
        return response
    response.vary.add("Accept-Encoding")
    if "gzip" not in request.accept_encodings:
        return response
    body = response.get_data()
    if len(body) <= MIN_BYTES:
        return response
    response.set_data(gzip.compress(body, 6))
    response.headers["Content-Encoding"] = "gzip"
    return response
