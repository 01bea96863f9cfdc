import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from kring.audit.log import record
from kring.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def test_a_log_row_cannot_be_changed_or_deleted_through_the_orm(manager):
    event = record(manager, Action.INBOX_VIEWED)
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == Action.INBOX_VIEWED


def test_the_public_is_recorded_as_such():
    event = record(None, Action.REQUEST_SUBMITTED)
    assert event.actor is None
    assert event.actor_role == "public"


@pytest.mark.postgres
def test_postgresql_refuses_raw_updates_and_deletes(manager):
    event = record(manager, Action.INBOX_VIEWED)
    for sql in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action=Action.INBOX_VIEWED).exists()
