from django import forms
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


class SecondFactorForm(StyledFormMixin, forms.Form):
    """Six digits from the authenticator app, or one recovery code."""

    code = forms.CharField(label=_("Code"), max_length=20, strip=True)

    def __init__(self, *args: object, recovery_allowed: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        widget = self.fields["code"].widget
        widget.attrs.update({"autocomplete": "one-time-code", "autofocus": True})
        if recovery_allowed:
            self.fields["code"].help_text = _(
                "De 6 cijfers uit uw authenticator-app, of een van uw herstelcodes."
            )
        else:
            widget.attrs["inputmode"] = "numeric"
            self.fields["code"].help_text = _("De 6 cijfers die de app nu toont.")
