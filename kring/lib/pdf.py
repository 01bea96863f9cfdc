"""PDF documents from Django templates, with WeasyPrint."""

from __future__ import annotations

import ssl
import threading
from functools import cache
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string

FONTS_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
_FONT_URL = "kring-font:"
# (family, file stem, scripts it is loaded for): Noto Sans always (Latin, Cyrillic for
# Ukrainian); the Arabic and Ethiopic faces only for the documents in those languages, so a
# Dutch PDF does not pay for loading them.
_FACES = [
    ("Noto Sans", "NotoSans", None),
    ("Noto Naskh Arabic", "NotoNaskhArabic", {"ar", "fa"}),
    ("Noto Sans Ethiopic", "NotoSansEthiopic", {"ti"}),
]


def pdf_fonts(language: str) -> dict[str, str]:
    """The @font-face rules and the font-family list for a PDF in ``language``: fonts
    bundled in kring/static/fonts, so a PDF looks the same on every machine."""
    rules: list[str] = []
    families: list[str] = []
    for family, stem, languages in _FACES:
        if languages is not None and language not in languages:
            continue
        families.insert(0 if languages else len(families), f'"{family}"')
        for weight, style in ((400, "Regular"), (700, "Bold")):
            rules.append(
                f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                f'src: url("{_FONT_URL}{stem}-{style}.ttf"); }}'
            )
    return {"pdf_font_faces": "\n".join(rules), "pdf_font_family": ", ".join(families)}


def render_to_pdf(template_name: str, context: dict[str, Any], *, language: str = "nl") -> bytes:
    """Render a template to HTML and that HTML to a PDF (A4 and the rest come from its CSS).

    WeasyPrint is imported here: it loads Pango at import, which only these requests need.
    The documents are self-contained, so nothing is fetched: no file, no network address
    can end up in a PDF through the data shown in it.
    """
    from weasyprint import HTML

    fonts = pdf_fonts(language)
    faces, font_config = _loaded_fonts(fonts["pdf_font_faces"])
    # The faces are loaded once per process and thread (below); the template only names them.
    html = render_to_string(template_name, {**fonts, "pdf_font_faces": "", **context})
    pdf = HTML(string=html, url_fetcher=_data_only_fetcher()).write_pdf(
        stylesheets=[faces], font_config=font_config
    )
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return pdf


_threads = threading.local()


def _loaded_fonts(faces: str) -> tuple[Any, Any]:
    """The @font-face rules as a stylesheet, with the FontConfiguration that has loaded
    their files: loading two faces of Noto Sans costs about 200 ms, so it happens once per
    set of faces in each thread (a FontConfiguration is not shared between threads)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    loaded: dict[str, tuple[Any, Any]] = _threads.__dict__.setdefault("fonts", {})
    if faces not in loaded:
        font_config = FontConfiguration()
        css = CSS(string=faces, font_config=font_config, url_fetcher=_data_only_fetcher())
        loaded[faces] = (css, font_config)
    return loaded[faces]


@cache
def _data_only_fetcher() -> Any:
    """Built once: by default each fetcher loads the system's certificates (~50 ms), which a
    fetcher that only ever reads ``data:`` URLs never uses."""
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class _Fetcher(URLFetcher):  # type: ignore[misc]
        """``data:`` URLs, and the bundled fonts by name (``kring-font:NotoSans-Regular.ttf``)."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(_FONT_URL):
                return URLFetcherResponse(url, _font_bytes(url.removeprefix(_FONT_URL)))
            return super().fetch(url, headers)

    return _Fetcher(allowed_protocols={"data"}, ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))


@cache
def _font_bytes(name: str) -> bytes:
    """A bundled font file, read once per process; only names in the fonts folder."""
    path = FONTS_DIR / name
    if path.parent != FONTS_DIR or path.suffix != ".ttf":
        raise ValueError(f"not a bundled font: {name}")
    return path.read_bytes()


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A PDF shown in the browser (inline), saved under ``filename`` when downloaded."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
