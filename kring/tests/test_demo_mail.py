"""Issue 15 §2: the demo's saved mail is one .eml file per message, as the README promises."""

import email

from django.core.mail import EmailMessage

from kring.lib.mail import EmlFileBackend


def test_each_message_is_written_as_its_own_eml_file(tmp_path):
    connection = EmlFileBackend(file_path=str(tmp_path))
    messages = [
        EmailMessage("Uw aanvraag", "Beste Kees,", "noreply@kring.example", ["kees@voorbeeld.nl"]),
        EmailMessage("Uitnodiging", "Beste Ans,", "noreply@kring.example", ["ans@voorbeeld.nl"]),
    ]
    assert connection.send_messages(messages) == 2
    files = sorted(tmp_path.iterdir())
    assert [f.suffix for f in files] == [".eml", ".eml"]
    parsed = [email.message_from_bytes(f.read_bytes()) for f in files]
    assert {m["Subject"] for m in parsed} == {"Uw aanvraag", "Uitnodiging"}


def test_the_file_setting_chooses_the_eml_backend(monkeypatch):
    import importlib

    import kring.settings

    monkeypatch.setenv("EMAIL_BACKEND", "file")
    monkeypatch.setenv("DEBUG", "1")
    try:
        reloaded = importlib.reload(kring.settings)
        assert reloaded.MAILERS["default"]["BACKEND"] == "kring.lib.mail.EmlFileBackend"
    finally:
        monkeypatch.undo()
        importlib.reload(kring.settings)
