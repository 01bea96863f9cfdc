from django.test import Client


def test_the_browsers_own_icon_request_is_sent_to_the_static_icon():
    answer = Client().get("/favicon.ico")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/static/kring/favicon")
    assert answer["Location"].endswith(".svg")
    assert Client().post("/favicon.ico").status_code == 405
