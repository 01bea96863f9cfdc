"""The demo's coordinator path: every stage, an EK1 group in progress, a trainer login."""

from __future__ import annotations

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F

from kring.accounts.models import Role, User
from kring.coordinators.models import CoordinatorStatus
from kring.demo.people import PASSWORD
from kring.demo.training import PER_STAGE, TRAINER_EMAIL, seed_training
from kring.factories import UserFactory
from kring.training.models import Application, Certificate, SessionKind, Stage, TrainingSession

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 4, 10, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))


def test_the_demo_has_every_stage_and_a_group_in_progress():
    UserFactory(role=Role.OFFICE)
    for slug in ("utrecht", "noord-holland", "gelderland"):
        UserFactory(role=Role.MANAGER, regions=[slug])
    seed_training(random.Random(7), NOW)
    stages = {s: Application.objects.filter(stage=s).count() for s in Stage}
    assert stages == {s: PER_STAGE[s] for s in Stage}
    trainer = User.objects.get(email=TRAINER_EMAIL)
    assert trainer.role == Role.TRAINER and trainer.check_password(PASSWORD)
    assert Certificate.objects.count() == (
        PER_STAGE[Stage.CERTIFIED] + PER_STAGE[Stage.EK2_ATTENDED] + PER_STAGE[Stage.EK2_REPORTED]
    )
    group = TrainingSession.objects.filter(kind=SessionKind.EK1, ends_on__gt=F("starts_on")).get()
    assert group.invitations.filter(attended__isnull=True).count() == PER_STAGE[Stage.DECIDED]
    reported = Application.objects.get(stage=Stage.EK2_REPORTED)
    assert reported.user.coordinator_profile.status == CoordinatorStatus.EK2
    assert reported.user.coordinator_profile.ek2_variants == reported.ek2_report.variants
