"""Settings for the test suite, type checking and the benchmarks: the production settings
(DEBUG off, so what they test is what runs), with throwaway keys that guard nothing.

Production refuses to start without SECRET_KEY, KRING_PSEUDONYM_KEY and ALLOWED_HOSTS; these
runs set them here instead, and only when the environment has not set them already.
"""

import os

os.environ.setdefault("SECRET_KEY", "kring-test-key-guards-nothing")
os.environ.setdefault("KRING_PSEUDONYM_KEY", "kring-test-pseudonym-key-guards-nothing")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

from kring.settings import *  # noqa: F403

# The tests render pages without running collectstatic first, so they link the plain static
# names; `make prod-local` (and its CI step) checks the hashed, compressed files WhiteNoise
# serves in production.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True  # no STATIC_ROOT to scan at start-up

# Tests that post to the translator's screens (django-rosetta, the approvals) write the
# catalogues they edit: each test process works on its own copy, never on the project's.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from kring.settings import LOCALE_PATHS as PROJECT_LOCALE_PATHS  # noqa: E402

_LOCALE_COPY = Path(tempfile.mkdtemp(prefix="kring-locale-")) / "locale"
shutil.copytree(PROJECT_LOCALE_PATHS[0], _LOCALE_COPY)
atexit.register(shutil.rmtree, _LOCALE_COPY.parent, ignore_errors=True)
LOCALE_PATHS = [_LOCALE_COPY]
# django-rosetta also finds the project's own kring/locale (beside the package and beside each
# app): it must see only the copy.
ROSETTA_EXCLUDED_PATHS = [os.path.normpath(BASE_DIR / "kring" / "locale")]  # noqa: F405
