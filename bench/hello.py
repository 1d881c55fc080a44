"""The stack's ceiling: a bare Flask "hello" app, served by waitress like the portal."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    """Plain text, no database, no templates."""
    return "hello"
