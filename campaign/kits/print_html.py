"""HTML documents for WeasyPrint from our own print templates (the posters, the policy report).

Those templates are well-formed XML: void elements closed with "/>", no named entities, and
every value Jinja writes into them escaped and cleared of the characters XML does not allow
(``printable``, the environments' ``finalize``). ``XmlHTML`` parses them with the standard
library's C XML parser instead of WeasyPrint's pure-Python HTML5 parser: some 15 times faster
for a poster, 0.1 s of the report here (65 kB of HTML: 105 ms against 1.5 ms).

It leans on WeasyPrint internals (70.x): the attributes ``HTML.__init__`` sets. Subclasses
override ``HTML._ua_stylesheets``, another internal, with a stylesheet cut to their elements.
Tests print the report both ways and compare every page and its tags, and render and check
every poster, so a WeasyPrint update that changes them shows at once.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

import cssselect2
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import URLFetcher

_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def printable(value: object) -> object:
    """Template output without control characters (a pasted vertical tab, say): they print as
    nothing useful, and XML does not allow them. For a Jinja environment's ``finalize``."""
    if isinstance(value, Markup):  # a {% set %} block or a macro: its own {{ }} parts went through here
        return value
    return _NOT_PRINTABLE.sub("", value) if isinstance(value, str) else value


class XmlHTML(HTML):
    """WeasyPrint's HTML, parsed from ``markup`` as XML (see the module's docstring), or made from
    an element tree already parsed that way."""

    def __init__(self, markup: str | ElementTree.Element, *, base_url: str, url_fetcher: URLFetcher) -> None:
        # S314: our own templates' output, see above
        root = ElementTree.fromstring(markup) if isinstance(markup, str) else markup  # noqa: S314
        self.base_url = base_url
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element
