from django.tasks import task

from kring.stats.facts import refresh_stale


@task()
def refresh_stale_figures() -> int:
    """Recompute the summary rows of cases changed since the last run, so the first dashboard
    visit after a busy day does not pay for all of them."""
    return refresh_stale()
