from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where its work is; the public sees what Kring is and how to ask."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "home.html")
    if user.is_manager or user.is_office:  # type: ignore[union-attr]
        return redirect("cases:inbox")
    if user.is_professional:  # type: ignore[union-attr]
        return redirect("intake:my_referrals")
    if user.is_coordinator:  # type: ignore[union-attr]
        return redirect("preparation:my_cases")
    if user.is_researcher:  # type: ignore[union-attr]
        return redirect("stats:dashboard")
    if user.is_translator:  # type: ignore[union-attr]
        return redirect("translations:overview")
    if user.is_trainer:  # type: ignore[union-attr]
        return redirect("training:applications")
    return render(request, "accounts/dashboard.html")
