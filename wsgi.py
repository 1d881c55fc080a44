"""WSGI entry point: ``waitress-serve --ident= wsgi:app`` (``--ident=``: no ``Server`` header)."""

import gc

from portal import create_app

app = create_app()
# What is loaded by now (code, templates' environment, locale data: ~70 000 objects) lives as
# long as the process: keep it out of the garbage collector's full passes, which otherwise
# stopped every thread of the process for 50-140 ms at a time under load (docs/performance.md).
gc.freeze()

if __name__ == "__main__":  # pragma: no cover - `python wsgi.py` for a quick local server
    import waitress

    waitress.serve(app, host="127.0.0.1", port=8000, threads=12, ident="")
