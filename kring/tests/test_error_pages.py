"""Issue 15 §2: Dutch 403, 404 and 500 pages in the house style, in production and in the
demo (DEBUG on), and a favicon."""

import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from kring.lib.error_pages import HouseErrorPagesMiddleware
from kring.lib.unavailable import server_error

pytestmark = pytest.mark.django_db


def _is_house_page(response) -> str:
    page = response.content.decode()
    assert 'class="kring-header"' in page and 'data-testid="error-page"' in page
    assert "favicon.svg" in page
    return page


@pytest.mark.parametrize("debug", [False, True], ids=["production", "demo"])
def test_an_unknown_address_gets_the_dutch_404(client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    page = _is_house_page(response)
    assert "Deze pagina bestaat niet (meer)" in page
    assert "URLconf" not in page and "Page not found" not in page


@pytest.mark.parametrize("debug", [False, True], ids=["production", "demo"])
def test_a_case_out_of_reach_gets_the_dutch_404(client, coordinator, settings, debug):
    settings.DEBUG = debug
    client.force_login(coordinator)
    response = client.get(reverse("preparation:workspace", args=[999999]))
    assert response.status_code == 404
    assert "Deze pagina bestaat niet (meer)" in _is_house_page(response)


def test_a_role_that_never_uses_a_page_gets_the_dutch_403(client, professional, settings):
    settings.DEBUG = True
    client.force_login(professional)
    response = client.get(reverse("cases:inbox"))
    assert response.status_code == 403
    assert "U heeft geen toegang tot deze pagina" in _is_house_page(response)


def test_the_500_page_is_dutch_and_in_the_house_style():
    request = RequestFactory().get("/")
    try:
        raise ValueError("kapot")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Er ging iets mis" in _is_house_page(response)


def test_the_demo_shows_the_500_page_not_the_traceback(settings):
    settings.DEBUG = True
    request = RequestFactory().get("/")
    middleware = HouseErrorPagesMiddleware(lambda r: None)
    try:
        raise ValueError("kapot")
    except ValueError:
        response = middleware.process_exception(request, sys.exc_info()[1])
    assert response.status_code == 500
    assert "Traceback" not in response.content.decode()
    settings.KRING_DEBUG_ERROR_PAGES = True  # a developer who asks for the debug pages
    assert middleware.process_exception(request, ValueError("kapot")) is None


def test_every_page_has_a_favicon(client):
    page = client.get(reverse("intake:public_request")).content.decode()
    assert 'rel="icon"' in page and "kring/favicon.svg" in page
    favicon = Path(__file__).resolve().parents[1] / "static/kring/favicon.svg"
    assert favicon.read_text().startswith("<svg")
