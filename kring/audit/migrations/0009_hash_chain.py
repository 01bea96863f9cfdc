"""The log becomes a hash chain: each row its place (seq), its predecessor's hash and its own.

Rows already there are chained in the order they were written (by id); on PostgreSQL the
append-only trigger is switched off for that one pass, inside this migration's transaction.
"""

from django.db import migrations, models

from kring.audit.chain import CONTENT, GENESIS, digest

BATCH = 2000


def chain_existing(apps, schema_editor):
    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "ChainHead")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(
            "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only"
        )
    seq, prev = 0, GENESIS
    rows = event_model.objects.order_by("id").values("id", *CONTENT)
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        seq += 1
        own = digest(prev, seq, row)
        batch.append(event_model(id=row["id"], seq=seq, prev_hash=prev, hash=own))
        prev = own
        if len(batch) == BATCH:
            event_model.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
            batch = []
    event_model.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
    head_model.objects.update_or_create(pk=1, defaults={"seq": seq, "hash": prev})
    if postgres:
        schema_editor.execute(
            "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0008_more_actions"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.PositiveBigIntegerField(default=0)),
                (
                    "hash",
                    models.CharField(
                        default="0000000000000000000000000000000000000000000000000000000000000000",
                        max_length=64,
                    ),
                ),
            ],
            options={
                "verbose_name": "kop van de logketen",
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64, verbose_name="vorige hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(null=True, unique=True, verbose_name="volgnummer"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("request.submitted", "Aanvraag ingediend"),
                    ("request.referred", "Aanvraag door professional verwezen"),
                    ("request.rate_limited", "Aanvraag geweigerd (te veel pogingen)"),
                    ("request.changed", "Aanvraag gewijzigd"),
                    ("talk.recorded", "Informatief gesprek vastgelegd"),
                    ("case.viewed", "Traject bekeken"),
                    ("case.moved", "Status gewijzigd"),
                    ("case.move_refused", "Statuswijziging geweigerd"),
                    ("case.first_contact", "Eerste contact vastgelegd"),
                    ("case.routed", "Naar regio gestuurd"),
                    ("offer.made", "Aangeboden aan coördinator"),
                    ("offer.accepted", "Aanbod geaccepteerd"),
                    ("offer.declined", "Aanbod afgewezen"),
                    ("offer.expired", "Aanbod verlopen zonder antwoord"),
                    ("case.paused", "Traject gepauzeerd"),
                    ("case.resumed", "Traject hervat"),
                    ("case.first_visit", "Eerste bezoek vastgelegd"),
                    ("case.conference_target", "Streefdatum conferentie vastgelegd"),
                    ("circle.changed", "Kring gewijzigd"),
                    ("circle.participant_removed", "Deelnemer uit de kring verwijderd"),
                    ("professional.invited", "Professional uitgenodigd"),
                    ("professional.joined", "Professional heeft account aangemaakt"),
                    ("professional.part_saved", "Inbreng professional opgeslagen"),
                    ("question.saved", "Vraagstelling opgeslagen"),
                    ("logistics.saved", "Praktische zaken opgeslagen"),
                    ("poll.changed", "Datumprikker gewijzigd"),
                    ("invitations.sent", "Uitnodigingen verstuurd"),
                    ("reminder.sent", "Herinnering verstuurd"),
                    ("conference.recorded", "Conferentie vastgelegd"),
                    ("plan.changed", "Plan gewijzigd"),
                    ("plan.submitted", "Plan ter toetsing aangeboden"),
                    ("plan.condition_checked", "Voorwaarde getoetst"),
                    ("plan.accepted", "Plan geaccepteerd"),
                    ("plan.not_accepted", "Plan niet geaccepteerd, terug naar de kring"),
                    ("plan.finalised", "Plan definitief"),
                    ("plan.sent", "Plan verstuurd"),
                    ("plan.pdf_viewed", "Plan-pdf bekeken"),
                    ("family_link.created", "Link voor de familie gemaakt"),
                    ("family_link.revoked", "Link voor de familie ingetrokken"),
                    ("family_link.used", "Link voor de familie gebruikt"),
                    ("family_link.refused", "Link voor de familie geweigerd"),
                    ("link.refused", "Persoonlijke link geweigerd"),
                    ("follow_up.recorded", "Nazorg vastgelegd"),
                    ("implementation.registered", "Uitvoering geregistreerd"),
                    ("profile.updated", "Coördinatorprofiel gewijzigd"),
                    ("case.access_denied", "Toegang geweigerd"),
                    ("login.failed", "Inloggen mislukt"),
                    ("login.locked_out", "Inloggen geblokkeerd na te veel pogingen"),
                    ("login.password_reset", "Nieuw wachtwoord aangevraagd"),
                    ("second_factor.enrolled", "Tweede stap ingesteld"),
                    ("second_factor.passed", "Tweede stap doorlopen"),
                    ("second_factor.failed", "Tweede stap mislukt"),
                    ("second_factor.reset", "Tweede stap opnieuw ingesteld door beheer"),
                    ("audit.trail_viewed", "Inzage in het logboek van een traject"),
                    ("admin.viewed", "Bekeken in het beheer"),
                    ("admin.changed", "Gewijzigd in het beheer"),
                    ("account.role_changed", "Rol of rechten van een account gewijzigd"),
                    ("inbox.viewed", "Inbox bekeken"),
                    ("research.exported", "Onderzoeksgegevens gedownload"),
                    ("privacy.purged", "Persoonsgegevens verwijderd"),
                    ("privacy.erasure_refused", "Verwijdering geweigerd"),
                    ("privacy.request", "Verzoek van betrokkene vastgelegd"),
                    ("privacy.requests_viewed", "Verzoeken van betrokkenen bekeken"),
                    ("privacy.access_export", "Inzage-export gemaakt"),
                    ("privacy.legal_hold", "Juridische bewaarplicht gewijzigd"),
                ],
                max_length=40,
                verbose_name="handeling",
            ),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
