"""WSGI entry point: ``waitress-serve --ident= wsgi:app`` (``--ident=``: no ``Server`` header)."""

from portal import create_app

app = create_app()

if __name__ == "__main__":  # pragma: no cover - `python wsgi.py` for a quick local server
    import waitress

    waitress.serve(app, host="127.0.0.1", port=8000, threads=12, ident="")
