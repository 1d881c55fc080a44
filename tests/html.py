"""HTML helpers for tests: assert on structure, not substrings."""

import html5lib
from html5lib.html5parser import ParseError


def parse(text: str):
    """Parse strictly; raise on any HTML5 parse error (unclosed elements etc.)."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        return parser.parse(text)
    except ParseError as exc:
        line = parser.errors[0][0] if parser.errors else "?"
        raise AssertionError(f"HTML tidak valid ({exc}) dekat {line}") from exc


def check_page(text: str):
    """Strict parse, plus unique ids; return the tree."""
    tree = parse(text)
    ids = [el.get("id") for el in tree.iter() if el.get("id")]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
    return tree


def texts(tree, tag: str) -> list[str]:
    """The text content of every ``tag`` element."""
    return ["".join(el.itertext()).strip() for el in tree.iter(tag)]


def find_all(tree, tag: str, **attrs):
    """Elements of ``tag`` whose attributes include ``attrs`` (class_ for class)."""
    result = []
    for el in tree.iter(tag):
        ok = True
        for key, value in attrs.items():
            name = "class" if key == "class_" else key.replace("_", "-")
            actual = el.get(name) or ""
            if name == "class":
                ok = ok and value in actual.split()
            else:
                ok = ok and actual == value
        if ok:
            result.append(el)
    return result
