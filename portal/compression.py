"""Gzip for text responses, for clients that accept it (public pages bring their own)."""

import gzip

from flask import request

MIN_BYTES = 1024
TEXT_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml")


def compress(response):
    """after_request: gzip a complete 200 text response over :data:`MIN_BYTES`."""
    if (
        response.status_code != 200
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
