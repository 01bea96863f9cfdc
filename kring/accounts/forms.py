from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kring.lib.forms import StyledFormMixin


class EmailAuthenticationForm(StyledFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar. Probeer het opnieuw."
        ),
        "inactive": _("Dit account is niet actief."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("E-mailadres")
        self.fields["username"].widget.attrs["autocomplete"] = "email"
