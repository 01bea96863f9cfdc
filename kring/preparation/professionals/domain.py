"""Professionals in a case: invitation, joining through a personal link, their own part
(information, concerns, offer of help) and the safety conditions (kader).

A professional sees only what their part needs: the case's question, the date and the place.
The coordinator and the main persons see what the professionals enter; nothing here is a
dossier.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kring.accounts.models import Organisation, Role, User
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.choices import CompelledHelp
from kring.cases.models import INVOLVED_STATUSES, Status
from kring.coordinators import conflicts
from kring.lib.errors import DomainError
from kring.lib.seen import changed_since, model_digest, model_values
from kring.lib.tokens import hash_token
from kring.preparation.models import Preparation, ProfessionalInvolvement, SafetyCondition
from kring.preparation.professionals.tasks import send_professional_invitation

if TYPE_CHECKING:
    from datetime import datetime

    from kring.cases.models import Case

# Help under pressure or by order: a professional sets the minimum conditions of the plan.
CONDITIONS_HELP = frozenset({CompelledHelp.PRESSURED, CompelledHelp.COMPULSORY})
# After the conference the plan is checked against the part as it was; it no longer changes.
EDITABLE_STATUSES = frozenset({Status.ASSIGNED, Status.PREPARATION, Status.PLANNED})


class AlreadyInvited(DomainError):
    """This e-mail address is already invited to this case."""

    default_message = gettext_lazy(
        "Deze professional is al uitgenodigd voor dit traject. Is de mail niet aangekomen? "
        "Gebruik dan ‘Link opnieuw sturen’ in de lijst."
    )


class NotAProfessionalAccount(DomainError):
    """The e-mail address belongs to an account with another role (a coordinator, a manager)."""

    default_message = gettext_lazy(
        "Dit e-mailadres hoort bij een Kring-account dat geen professional-account is. "
        "Gebruik het werkadres van de professional."
    )


class AlreadyJoined(DomainError):
    """The invitation is already linked to an account."""


class PartChanged(DomainError):
    """The part was saved elsewhere (another window or device) after this form was shown."""

    default_message = gettext_lazy(
        "Uw inbreng is intussen ergens anders opgeslagen (in een ander venster of op een ander "
        "apparaat). Hieronder staat wat u net typte en daarboven wat er nu is opgeslagen; "
        "neem over wat u wilt houden en sla opnieuw op."
    )


PART_FIELDS = ("information", "concerns", "help_offer")


def part_digest(involvement: ProfessionalInvolvement) -> str:
    return model_digest(involvement, PART_FIELDS)


class PartClosed(DomainError):
    """The part can no longer be changed (after the conference, or no conditions apply)."""

    default_message = gettext_lazy("Na de conferentie kunt u uw inbreng niet meer wijzigen.")


# ---------- Reads ----------


def conditions_apply(case: Case) -> bool:
    """Safety conditions are set when help is pressured (drang) or compulsory (dwang)."""
    return case.request.compelled_help in CONDITIONS_HELP


def part_is_editable(case: Case) -> bool:
    return case.status in EDITABLE_STATUSES


def involvements_for_case(case: Case) -> QuerySet[ProfessionalInvolvement]:
    return case.professionals.select_related("organisation", "user").order_by("name", "id")


def conditions_for_case(case: Case) -> list[SafetyCondition]:
    """The kader: every safety condition of the case, with who set it (one query)."""
    return list(
        SafetyCondition.objects.filter(involvement__case=case)
        .select_related("involvement__organisation")
        .order_by("involvement__name", "involvement_id", "id")
    )


def involved_organisation_ids(case: Case) -> set[int]:
    """Organisations of the professionals invited to the case (for the conflict check)."""
    # Through .all(), so a batch that prefetched the professionals asks nothing more.
    return {involvement.organisation_id for involvement in case.professionals.all()}


def involvement_for_professional(user: User, pk: int) -> ProfessionalInvolvement | None:
    """The involvement if it is this professional's own, while the case runs; else None."""
    if not user.is_authenticated or not user.is_active or not user.is_professional:
        return None
    return (
        ProfessionalInvolvement.objects.select_related("case__request", "organisation")
        .filter(pk=pk, user=user, case__status__in=INVOLVED_STATUSES)
        .first()
    )


def involvements_of(user: User) -> QuerySet[ProfessionalInvolvement]:
    """A professional's own involvements in running cases, newest invitation first, with
    each case's plan and the conditions set: the list asks whether a plan waits for the
    professional's check."""
    return (
        ProfessionalInvolvement.objects.filter(user=user, case__status__in=INVOLVED_STATUSES)
        .select_related("case__request", "case__preparation", "case__plan", "organisation")
        .prefetch_related("conditions")
        .order_by("-invited_at", "-id")
    )


def pending_invitations_of(user: User) -> QuerySet[ProfessionalInvolvement]:
    """Invitations to the user's e-mail address not yet linked to an account, while their
    link would still work (or its mail is still on its way)."""
    unexpired = Q(token_expires_at__isnull=True) | Q(token_expires_at__gt=timezone.now())
    return (
        ProfessionalInvolvement.objects.filter(
            unexpired,
            user__isnull=True,
            email__iexact=user.email,
            case__status__in=INVOLVED_STATUSES,
            closed_at__isnull=True,
        )
        .select_related("organisation")
        .order_by("-invited_at", "-id")
    )


def preparation_of(case: Case) -> Preparation | None:
    try:
        return case.preparation
    except ObjectDoesNotExist:
        return None


def case_question(case: Case) -> str:
    """The agreed question if there is one, else the first wording from the request."""
    preparation = preparation_of(case)
    return (preparation.question if preparation else "") or case.request.question


def conference_when_where(case: Case) -> tuple[datetime | None, str]:
    preparation = preparation_of(case)
    if preparation is None:
        return None, ""
    return preparation.conference_at, preparation.venue


# ---------- Changes ----------


def organisation_named(name: str) -> Organisation:
    """The organisation with this name (any capitals), created if it is new."""
    name = " ".join(name.split())
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    organisation, _created = Organisation.objects.get_or_create(name=name)
    return organisation


def email_taken_by_other_role(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exclude(role=Role.PROFESSIONAL).exists()


@transaction.atomic
def invite_professional(
    case: Case, *, name: str, email: str, organisation: str, role: str, by: User
) -> ProfessionalInvolvement:
    """Invite a professional to the case and mail them their personal link."""
    email = email.strip().lower()
    if case.professionals.filter(email__iexact=email).exists():
        raise AlreadyInvited
    if email_taken_by_other_role(email):
        raise NotAProfessionalAccount
    org = organisation_named(organisation)
    try:
        with transaction.atomic():
            involvement = ProfessionalInvolvement.objects.create(
                case=case,
                name=name.strip(),
                email=email,
                organisation=org,
                role=role.strip(),
                invited_at=timezone.now(),
                invited_by=by,
            )
    except IntegrityError:  # the same invitation submitted twice at once
        raise AlreadyInvited from None
    record(by, Action.PROFESSIONAL_INVITED, case=case, obj=involvement, organisation=org.name)
    _check_independence(case, involvement, by)
    _mail_invitation_on_commit(involvement)
    return involvement


def _check_independence(case: Case, involvement: ProfessionalInvolvement, by: User) -> None:
    """The coordinator is tied to the professional's organisation or knows them: warn, log."""
    for kind, _warning in independence_warnings(involvement):
        conflicts.report(case, involvement, Action.PROFESSIONAL_INVITED, by=by, kind=kind)


def independence_warnings(involvement: ProfessionalInvolvement) -> list[tuple[str, str]]:
    """(kind of tie, the coordinator's Dutch warning) for each tie to this professional."""
    case, hits = involvement.case, []
    if conflicts.tied_organisation(case, involvement.organisation_id):
        hits.append(("affiliation", conflicts.organisation_warning(involvement.organisation.name)))
    if conflicts.known_person(case, involvement.name):
        hits.append(("relationship", conflicts.person_warning(involvement.name)))
    return hits


@transaction.atomic
def resend_invitation(involvement: ProfessionalInvolvement, *, by: User) -> None:
    record(by, Action.PROFESSIONAL_INVITED, case=involvement.case, obj=involvement, resent=True)
    _mail_invitation_on_commit(involvement)


@dataclass(frozen=True)
class InvitationLink:
    """The outcome of opening an invitation link: the involvement when it works, else why not
    (``unknown``, ``expired`` or ``closed``) and the case, for the log row."""

    involvement: ProfessionalInvolvement | None
    reason: str = ""
    case: Case | None = None


def involvement_for_token(token: str, *, now: datetime | None = None) -> InvitationLink:
    """The invitation behind a link: 14 days from the sending, closed with the course."""
    involvement = (
        ProfessionalInvolvement.objects.select_related("case", "organisation", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if involvement is None:
        return InvitationLink(None, "unknown")
    case = involvement.case
    if involvement.closed_at is not None or case.status not in INVOLVED_STATUSES:
        return InvitationLink(None, "closed", case)
    expires = involvement.token_expires_at
    if expires is None or expires <= (now or timezone.now()):
        return InvitationLink(None, "expired", case)
    return InvitationLink(involvement)


def _mail_invitation_on_commit(involvement: ProfessionalInvolvement) -> None:
    pk = involvement.pk
    transaction.on_commit(lambda: send_professional_invitation.enqueue(pk))


def _locked(involvement: ProfessionalInvolvement) -> ProfessionalInvolvement:
    return (
        ProfessionalInvolvement.objects.select_for_update()
        .select_related("case")
        .get(pk=involvement.pk)
    )


@transaction.atomic
def join_professional(
    involvement: ProfessionalInvolvement, *, first_name: str, last_name: str, password: str
) -> User:
    """Create the professional's account from their invitation and link it."""
    locked = _locked(involvement)
    if locked.user_id is not None:
        raise AlreadyJoined
    if User.objects.filter(email__iexact=locked.email).exists():
        raise AlreadyJoined
    user = User.objects.create_user(
        email=locked.email,
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=Role.PROFESSIONAL,
        organisation=locked.organisation,
    )
    _link(locked, user, new_account=True)
    return user


@transaction.atomic
def link_existing_professional(involvement: ProfessionalInvolvement, user: User) -> None:
    """Link an invitation to the professional who already has an account with that address."""
    if not user.is_professional or user.email.lower() != involvement.email.lower():
        raise NotAProfessionalAccount
    locked = _locked(involvement)
    if locked.user_id == user.pk:
        return
    if locked.user_id is not None:
        raise AlreadyJoined
    _link(locked, user, new_account=False)


def _link(involvement: ProfessionalInvolvement, user: User, *, new_account: bool) -> None:
    involvement.user = user
    involvement.joined_at = timezone.now()
    involvement.save(update_fields=["user", "joined_at"])
    record(
        user,
        Action.PROFESSIONAL_JOINED,
        case=involvement.case,
        obj=involvement,
        new_account=new_account,
    )


@transaction.atomic
def save_part(
    involvement: ProfessionalInvolvement,
    *,
    information: str,
    concerns: str,
    help_offer: str,
    by: User,
    seen: str = "",
) -> None:
    """Save the professional's information, concerns and offer of help; refused when they
    were saved elsewhere after the form showed them (``seen``, kring/lib/seen.py)."""
    if not part_is_editable(involvement.case):
        raise PartClosed
    stored = ProfessionalInvolvement.objects.select_for_update().get(pk=involvement.pk)
    involvement.information = information.strip()
    involvement.concerns = concerns.strip()
    involvement.help_offer = help_offer.strip()
    posted = model_values(involvement, PART_FIELDS)
    if changed_since(seen, model_values(stored, PART_FIELDS), posted):
        raise PartChanged
    involvement.save(update_fields=list(PART_FIELDS))
    record(by, Action.PROFESSIONAL_PART_SAVED, case=involvement.case, obj=involvement)


@transaction.atomic
def add_conditions(involvement: ProfessionalInvolvement, texts: list[str], *, by: User) -> int:
    """Add safety conditions (a repeated text is added once); returns how many are new."""
    case = involvement.case
    if not conditions_apply(case) or not part_is_editable(case):
        raise PartClosed
    added = sum(
        SafetyCondition.objects.get_or_create(involvement=involvement, text=text)[1]
        for text in texts
    )
    if added:
        record(
            by,
            Action.PROFESSIONAL_PART_SAVED,
            case=case,
            obj=involvement,
            conditions_added=added,
        )
    return added


@transaction.atomic
def remove_condition(involvement: ProfessionalInvolvement, condition_pk: int, *, by: User) -> bool:
    """Remove one of the professional's own conditions; False if it was already gone."""
    if not part_is_editable(involvement.case):
        raise PartClosed
    deleted, _per_model = involvement.conditions.filter(pk=condition_pk).delete()
    if deleted:
        record(
            by,
            Action.PROFESSIONAL_PART_SAVED,
            case=involvement.case,
            obj=involvement,
            condition_removed=condition_pk,
        )
    return bool(deleted)
