"""Which source files hold the strings a family or circle member reads: the catalogues of
the family's languages (all but Dutch, whose strings are the source, and English, which has
the whole application) hold only the strings found in these files."""

from __future__ import annotations

# A path (a file, or every file it starts), or (path, first line, last line) for a part of a file.
FAMILY_SOURCES: tuple[str | tuple[str, int, int], ...] = (
    # The public request form, its confirmation page and mail, the privacy text.
    "kring/intake/forms.py",
    "kring/intake/models.py",
    "kring/intake/templates/intake/public_request.html",
    "kring/intake/templates/intake/_request_fields.html",
    "kring/intake/templates/intake/_requester_fields.html",
    "kring/intake/templates/intake/widgets/",
    "kring/intake/templates/intake/received.html",
    "kring/intake/templates/intake/privacy.html",
    "kring/intake/templates/intake/mail/confirmation",
    "kring/cases/choices.py",
    ("kring/intake/views.py", 50, 55),  # the refusal after too many requests from one address
    # The language list (its groups, language families and error) and the empty choice.
    "kring/lib/language_select.py",
    ("kring/accounts/apps.py", 14, 14),  # "— maak een keuze —"
    # The page frame and form helpers every public page uses.
    "kring/templates/base.html",
    "kring/templates/includes/field.html",
    "kring/lib/field_html.py",
    "kring/templates/includes/form_errors.html",
    "kring/lib/languages.py",
    # The date poll, the invitations (mail, letter, calendar), the reminder.
    "kring/preparation/templates/preparation/logistics/poll_answer.html",
    "kring/preparation/logistics/forms.py",
    ("kring/preparation/models.py", 269, 273),  # PollAnswer: kan, misschien, kan niet
    # The circle map in the plan: its groups, statuses and legend.
    ("kring/preparation/models.py", 16, 33),  # Category, InvitationStatus
    "kring/preparation/circle/diagram.py",
    "kring/preparation/templates/preparation/logistics/invitation_letter",
    "kring/preparation/templates/preparation/mail/invitation",
    "kring/preparation/templates/preparation/mail/_time.txt",
    "kring/preparation/logistics/ics.py",
    # The plan: its PDF frame, its mail, the family's own link.
    "kring/plans/distribution/document.py",
    "kring/plans/templates/plans/distribution/document_pdf.html",
    "kring/plans/templates/plans/distribution/family_plan.html",
    "kring/plans/templates/plans/mail/document_plan.txt",
    "kring/plans/templates/plans/mail/document_plan_subject.txt",
    "kring/plans/templates/plans/mail/document_family_link",
    # The questionnaire after the conference: its mail, its page, its questions.
    "kring/evaluation/templates/evaluation/mail/",
    "kring/evaluation/templates/evaluation/answer.html",
    "kring/evaluation/forms.py",
    ("kring/evaluation/models.py", 32, 38),  # the four questions
)


def is_family_source(path: str, line: str | int = 0) -> bool:
    path = path.removeprefix("./")
    for source in FAMILY_SOURCES:
        if isinstance(source, str):
            if path.startswith(source):
                return True
        elif path == source[0] and source[1] <= int(line or 0) <= source[2]:
            return True
    return False
