"""WSGI entry point: ``waitress-serve --ident= wsgi:app`` (``--ident=``: no ``Server`` header)."""

import gc
import sys

from portal import create_app

app = create_app()
# What is loaded by now (code, templates' environment, locale data: ~70 000 objects) lives as
# long as the process: keep it out of the garbage collector's full passes, which otherwise
# stopped every thread of the process for 50-140 ms at a time under load (docs/performance.md).
gc.freeze()
# A thread coming back from SQLite (which releases the interpreter lock for every row) waits
# until the running thread lets the lock go, by default after up to 5 ms: on the city at 5x
# the pages' p95 was 170-270 ms with that, 50-150 ms with 0,5 ms (docs/performance.md).
sys.setswitchinterval(0.0005)

if __name__ == "__main__":  # pragma: no cover - `python wsgi.py` for a quick local server
    import waitress

    waitress.serve(app, host="127.0.0.1", port=8000, threads=12, ident="")
