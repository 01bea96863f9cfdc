"""Mail about offers and independence, and the periodic checks (offers nobody answered,
declarations about to lapse)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kring.coordinators.models import Offer


def _recipients(offer: Offer, kind: str) -> list[str]:
    if kind == "offer_made":
        return [offer.profile.user.email]
    return [offer.offered_by.email]


@task()
def send_offer_mail(offer_id: int, kind: str) -> int:
    """Tell the coordinator about an offer, or the manager about the answer (or silence)."""
    offer = Offer.objects.select_related("case__request", "profile__user", "offered_by").get(
        pk=offer_id
    )
    link = (
        reverse("coordinators:offers")
        if kind == "offer_made"
        else reverse("cases:detail", args=[offer.case_id])
    )
    context = {"offer": offer, "kind": kind, "url": settings.SITE_URL.rstrip("/") + link}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("coordinators/mail/offer_subject.txt", context).strip()
        body = render_to_string("coordinators/mail/offer.txt", context)
    return send_mail(subject, body, None, _recipients(offer, kind))


@task()
def send_independence_warning(case_id: int, kind: str, recipients: list[str]) -> int:
    """Tell the coordinator and the managers that someone added to a case is tied to the
    coordinator ("relationship": a person they know; "affiliation": an organisation). The
    mail names the case, not the person: the details are on the case's pages."""
    from kring.cases.models import Case

    case = Case.objects.select_related("request").get(pk=case_id)
    link = reverse("preparation:workspace", args=[case.pk])
    context = {"case": case, "kind": kind, "url": settings.SITE_URL.rstrip("/") + link}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("coordinators/mail/independence_subject.txt", context).strip()
        body = render_to_string("coordinators/mail/independence_warning.txt", context)
    return send_mail(subject, body, None, recipients)
