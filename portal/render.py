"""Page-or-fragment rendering (style habit 3)."""

from flask import make_response, render_template, request


def wants_fragment() -> bool:
    """An htmx request that is not a boosted navigation wants only the fragment."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


def page_or_fragment(page: str, fragment: str, status: int = 200, **context):
    """Render the full page, or only its fragment for htmx; always ``Vary: HX-Request``."""
    template = fragment if wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.headers["Vary"] = "HX-Request"
    return response
