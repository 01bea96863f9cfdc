from django.core.management import call_command


def test_kring_periodic_enqueues_every_periodic_task(db, capsys):
    call_command("kring_periodic")
    out = capsys.readouterr().out
    for name in (
        "expire_overdue_offers",
        "send_due_deadline_reminders",
        "send_due_conference_reminders",
        "send_due_follow_up_reminders",
        "send_due_implementation_reminders",
        "purge_expired_data",
    ):
        assert f"{name} enqueued" in out
