"""Referral screens: one referral and its follow-up, the centre's list, outcomes per service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from helpline.accounts import access

from . import referral_selectors as selectors
from .models import Referral
from .referral_forms import ReferralFilterForm, ReferralStatusForm
from .referrals import StaleReferralError, referral_status_change


def _visible(request: HttpRequest, pk: Any) -> Referral:
    try:
        return selectors.referral_get(actor=request.user, pk=pk)  # type: ignore[arg-type]
    except Referral.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def referral_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    actor: Any = request.user
    referral = _visible(request, pk)
    can_update = access.can_follow_up_referral(actor, referral.centre_id)
    form = None
    status = 200
    stale = None
    if can_update:
        form = ReferralStatusForm(request.POST or None, referral=referral)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                referral_status_change(
                    actor=actor,
                    referral=referral,
                    status=form.cleaned_data["status"],
                    follow_up_on=form.cleaned_data.get("follow_up_on"),
                    expected_revision=form.cleaned_data["revision"],
                )
            except StaleReferralError as exc:
                stale = exc.current
                status = 409
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
                status = 400
            else:
                messages.success(request, _("Referral updated."))
                if request.POST.get("next") == "home":
                    return redirect("home")
                return redirect("directory:referral", pk=referral.pk)
        else:
            status = 400
    return render(
        request,
        "directory/referral.html",
        {
            "referral": referral,
            "changes": selectors.referral_changes(actor=actor, referral=referral),
            "form": form if form is not None and form.fields["status"].choices else None,  # type: ignore[attr-defined]
            "stale": stale,
        },
        status=status,
    )


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    if not access.is_active_staff(actor):
        raise PermissionDenied
    form = ReferralFilterForm(request.GET or None, actor=actor)
    qs = selectors.referral_list(actor=actor, filters=form.to_filters())
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/referrals.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "counts": selectors.referral_counts(actor=actor),
            "show_centre": access.sees_all_centres(actor),
            "can_see_outcomes": access.sees_referral_outcomes(actor),
            "today": timezone.localdate(),
        },
    )


@login_required
def referral_outcomes(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    if not access.sees_referral_outcomes(actor):
        raise PermissionDenied
    form = ReferralFilterForm(request.GET or None, actor=actor)
    return render(
        request,
        "directory/outcomes.html",
        {
            "form": form,
            "rows": selectors.referral_outcomes(actor=actor, filters=form.to_filters()),
            "query": request.GET.urlencode(),
        },
    )
