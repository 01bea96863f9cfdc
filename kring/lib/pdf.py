"""PDF documents from Django templates, with WeasyPrint."""

from __future__ import annotations

import ssl
from functools import cache
from typing import Any

from django.template.loader import render_to_string


def render_to_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a template to HTML and that HTML to a PDF (A4 and the rest come from its CSS).

    WeasyPrint is imported here: it loads Pango at import, which only these requests need.
    The documents are self-contained, so nothing is fetched: no file, no network address
    can end up in a PDF through the data shown in it.
    """
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    pdf = HTML(string=html, url_fetcher=_data_only_fetcher()).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return pdf


@cache
def _data_only_fetcher() -> Any:
    """Built once: by default each fetcher loads the system's certificates (~50 ms), which a
    fetcher that only ever reads ``data:`` URLs never uses."""
    from weasyprint import URLFetcher

    return URLFetcher(
        allowed_protocols={"data"}, ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    )
