from django.tasks import task

from kring.privacy.purge import purge_today


@task()
def purge_expired_data() -> int:
    """Once a day (the first run of the day claims it): remove personal data past its
    retention period."""
    return purge_today()
