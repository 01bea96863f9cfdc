"""Steps the browser tests share."""

from kring.factories import PASSWORD


def log_in(page, base, email):
    """Log in through the login form as a factory-made user."""
    page.goto(f"{base}/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
