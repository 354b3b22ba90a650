"""Page checks shared by the tests that render pages without a browser."""

import re
from collections import Counter

import html5lib


def assert_valid_html(html: str) -> None:
    """Valid HTML5 (strict parser) with unique ids, as the browser journeys check."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    twice = [i for i, n in Counter(re.findall(r' id="([^"]+)"', html)).items() if n > 1]
    assert not twice, twice


def parse(html):
    """The document as an ElementTree (html5lib, no namespaces), for `find`/`iter`."""
    if isinstance(html, bytes):
        html = html.decode()
    return html5lib.parse(html, namespaceHTMLElements=False)


def text(element) -> str:
    """The element's text with its whitespace collapsed ("" for None)."""
    return " ".join("".join(element.itertext()).split()) if element is not None else ""
