"""Personal links store only a hash of their token (issue 12 §5).

The existing plain tokens are hashed in place, so links already mailed keep working: the hash
of the old token is what is now stored. Invitations get their 14 days from when they were
sent; a date already fixed counts as fixed now (its poll links get the full week).
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_in_place(apps, schema_editor):
    Participant = apps.get_model("preparation", "Participant")
    Involvement = apps.get_model("preparation", "ProfessionalInvolvement")
    Preparation = apps.get_model("preparation", "Preparation")
    for participant in Participant.objects.exclude(poll_token_hash=None).only("poll_token_hash"):
        participant.poll_token_hash = _hash(participant.poll_token_hash)
        participant.save(update_fields=["poll_token_hash"])
    days = timedelta(days=settings.KRING_INVITATION_LINK_DAYS)
    for involvement in Involvement.objects.exclude(token_hash=None).only("token_hash", "invited_at"):
        involvement.token_hash = _hash(involvement.token_hash)
        involvement.token_expires_at = involvement.invited_at + days
        involvement.save(update_fields=["token_hash", "token_expires_at"])
    Preparation.objects.filter(conference_at__isnull=False).update(date_fixed_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("preparation", "0002_course_end_closes_links")]

    operations = [
        migrations.RenameField("participant", "poll_token", "poll_token_hash"),
        migrations.AlterField(
            model_name="participant",
            name="poll_token_hash",
            field=models.CharField(editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.RenameField("professionalinvolvement", "token", "token_hash"),
        migrations.AlterField(
            model_name="professionalinvolvement",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="professionalinvolvement",
            name="token_expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="link geldig tot"),
        ),
        migrations.AddField(
            model_name="preparation",
            name="date_fixed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="datum vastgelegd op"),
        ),
        migrations.RunPython(hash_in_place, migrations.RunPython.noop),
    ]
