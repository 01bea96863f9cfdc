from django.urls import reverse


def test_dutch_by_default_even_for_an_english_browser(client, db):
    response = client.get(reverse("intake:public_request"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert response["Content-Language"] == "nl"
    assert "Aanvraag versturen" in response.content.decode()


def test_english_after_choosing_it_with_the_switch(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("intake:public_request"))
    assert response["Content-Language"] == "en"
    assert "Send request" in response.content.decode()
