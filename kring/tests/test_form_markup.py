"""The server explains bad input in Dutch next to the field. A form without ``novalidate``
lets the browser stop the submit first with its own bubble, in the browser's language
(English in many a browser, also for a Dutch page), for a number above its ``max`` or an
e-mail address without an @: so every form of ours that people type into says novalidate."""

import re
from pathlib import Path

import kring

FORM_TAG = re.compile(r"<form\b[^>]*>", re.S)


def test_every_typing_form_leaves_validation_to_the_server() -> None:
    root = Path(kring.__file__).parent
    checked, missing = 0, []
    for template in root.rglob("templates/**/*.html"):
        for tag in FORM_TAG.findall(template.read_text()):
            if 'class="kring-form' not in tag:
                continue  # button rows and inline buttons: nothing to type
            checked += 1
            if "novalidate" not in tag:
                missing.append(f"{template.relative_to(root)}: {tag[:80]}")
    assert checked > 40  # the walk found the forms at all
    assert missing == []
