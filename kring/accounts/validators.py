"""Password rules with messages in Kring's own catalogue.

Django's Dutch catalogue lacks the current wording of the minimum-length message, so it
would appear in English; these subclasses say the same in Dutch (and in English via our .po).
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "Dit wachtwoord is te kort. Gebruik minstens %(n)d teken.",
            "Dit wachtwoord is te kort. Gebruik minstens %(n)d tekens.",
            self.min_length,
        ) % {"n": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Je wachtwoord moet minstens %(n)d teken lang zijn.",
            "Je wachtwoord moet minstens %(n)d tekens lang zijn.",
            self.min_length,
        ) % {"n": self.min_length}
