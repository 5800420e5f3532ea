"""Consultant screens: home, intake, list, detail, edit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from helpline.accounts import access
from helpline.directory import referral_selectors
from helpline.directory.intake import intake_referral_context, referral_picks
from helpline.directory.referrals import referrals_record
from helpline.knowledge import selectors as knowledge_selectors
from helpline.knowledge import services as knowledge_services
from helpline.knowledge.suggestions import MAX_PICKED, caller_language, picked_version_ids

from . import selectors, services
from .caller_key import caller_key
from .forms import ConsultationFilterForm, ConsultationForm
from .models import CallerRole, Channel, Consultation, NonDataType
from .presentation import history_rows, list_rows

PHONE = "caller_phone"


def _actor(request: HttpRequest) -> Any:
    return request.user


def _get_visible(request: HttpRequest, pk: Any) -> Consultation:
    try:
        return selectors.consultation_get(actor=_actor(request), pk=pk)
    except Consultation.DoesNotExist as exc:
        raise Http404 from exc


def _picked_answers(request: HttpRequest) -> list[str]:
    """Knowledge articles ticked in the form as used for the answer (version ids)."""
    return request.POST.getlist("answers_given")[:MAX_PICKED]


def _record_answers(actor: Any, consultation: Consultation, picked: list[str]) -> None:
    knowledge_services.answers_given_record(
        actor=actor,
        consultation=consultation,
        version_ids=picked_version_ids(picked),
        language=caller_language(str(consultation.language_id or "")),
    )


def _record_referrals(actor: Any, consultation: Consultation, request: HttpRequest) -> None:
    referrals_record(actor=actor, consultation=consultation, picks=referral_picks(request.POST))


def _apply_errors(form: ConsultationForm, error: ValidationError) -> None:
    for field_name, msgs in error.message_dict.items():
        target = field_name if field_name in form.fields else None
        for msg in msgs:
            form.add_error(target, msg)


def _service_data(form: ConsultationForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    for key in ("topics", PHONE, "forget_caller", "version", "centre"):
        data.pop(key, None)
    return data


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "consultations/home.html",
        {
            "can_record": access.may_record_anything(actor),
            "follow_ups": selectors.follow_ups_due(actor=actor),
            "referral_follow_ups": referral_selectors.referral_follow_ups_due(actor=actor),
            "latest": selectors.my_latest_consultations(actor=actor),
            "non_data_types": NonDataType.objects.filter(is_active=True),
            "today": timezone.localdate(),
        },
    )


@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = ConsultationFilterForm(request.GET or None, actor=actor)
    filters = form.to_filters() if request.GET else selectors.ConsultationFilters.default()
    per_page = (
        form.cleaned_data.get("per_page") if form.is_bound and form.is_valid() else 50
    ) or 50
    qs = selectors.consultation_list(actor=actor, filters=filters)
    page = Paginator(qs, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = (
        "consultations/_list_results.html"
        if getattr(request, "htmx", False) and not request.htmx.boosted  # type: ignore[attr-defined]
        else "consultations/list.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "rows": list_rows(list(page.object_list)),
            "show_centre": access.sees_centre_column(actor),
        },
    )


@login_required
@sensitive_post_parameters(PHONE)
def consultation_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not access.may_record_anything(actor):
        raise PermissionDenied
    if request.method == "POST":
        form = ConsultationForm(request.POST, actor=actor)
        if form.is_valid():
            centre = form.cleaned_data.get("centre") or actor.centre
            try:
                with transaction.atomic():
                    consultation = services.consultation_create(
                        actor=actor,
                        centre=centre,
                        data=_service_data(form),
                        topics=form.cleaned_data["topics"],
                        caller_phone=form.cleaned_data.get(PHONE, ""),
                    )
                    _record_answers(actor, consultation, _picked_answers(request))
                    _record_referrals(actor, consultation, request)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Consultation saved."))
                return redirect("consultations:detail", pk=consultation.pk)
        status = 400
    else:
        form = ConsultationForm(actor=actor, initial=_intake_initial())
        status = 200
    return render(
        request,
        "consultations/intake.html",
        {
            "form": form,
            "non_data_types": NonDataType.objects.filter(is_active=True),
            "picked_answers": _picked_answers(request) if request.method == "POST" else [],
            **intake_referral_context(
                actor=actor, data=request.POST if request.method == "POST" else None
            ),
        },
        status=status,
    )


def _intake_initial() -> dict[str, Any]:
    return {
        "started_at": timezone.localtime().replace(second=0, microsecond=0),
        "channel": Channel.objects.filter(code="hotline").first(),
        "caller_role": CallerRole.objects.filter(code="migrant").first(),
    }


@login_required
@require_POST
def consultation_non_data(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not access.may_record_anything(actor) or actor.centre is None:
        raise PermissionDenied
    non_data_type = get_object_or_404(
        NonDataType, code=request.POST.get("non_data_type", ""), is_active=True
    )
    services.consultation_record_non_data(
        actor=actor, centre=actor.centre, non_data_type=non_data_type
    )
    messages.success(request, _("Recorded: %(type)s.") % {"type": non_data_type.label})
    return redirect("consultations:create" if request.POST.get("next") == "intake" else "home")


@login_required
def consultation_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    actor = _actor(request)
    consultation = _get_visible(request, pk)
    earlier = selectors.earlier_contacts(
        actor=actor,
        caller_key=consultation.caller_key,
        before=consultation.started_at,
        exclude_pk=consultation.pk,
    )
    changes = selectors.consultation_changes(actor=actor, consultation=consultation)
    return render(
        request,
        "consultations/detail.html",
        {
            "c": consultation,
            "answers_given": _answers_shown(actor, consultation),
            "referrals": referral_selectors.consultation_referrals(
                actor=actor, consultation=consultation
            ),
            "earlier": earlier,
            "history": history_rows(list(changes)),
            "can_edit": access.can_edit_centre_records(actor, consultation.centre_id),
        },
    )


def _answers_shown(actor: Any, consultation: Consultation) -> list[dict[str, Any]]:
    """The articles used, each with its question in the language it was given in."""
    shown = []
    for given in knowledge_selectors.answers_given(actor=actor, consultation=consultation):
        texts = {t.language: t.question for t in given.version.translations.all()}
        shown.append(
            {
                "slug": given.version.article.slug,
                "version": given.version,
                "language": given.language,
                "question": texts.get(given.language) or texts.get("ru", ""),
            }
        )
    return shown


@login_required
@sensitive_post_parameters(PHONE)
def consultation_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    actor = _actor(request)
    consultation = _get_visible(request, pk)
    if not access.can_edit_centre_records(actor, consultation.centre_id):
        raise PermissionDenied
    stale = None
    status = 200
    if request.method == "POST":
        form = ConsultationForm(request.POST, instance=consultation, actor=actor, editing=True)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.consultation_update(
                        actor=actor,
                        consultation=consultation,
                        data=_service_data(form),
                        topics=form.cleaned_data.get("topics"),
                        expected_version=form.cleaned_data.get("version") or 0,
                        caller_phone=form.cleaned_data.get(PHONE, ""),
                        forget_caller=bool(form.cleaned_data.get("forget_caller")),
                    )
                    _record_answers(actor, consultation, _picked_answers(request))
                    _record_referrals(actor, consultation, request)
            except services.StaleVersionError as exc:
                stale = exc.current
                status = 409
            except ValidationError as exc:
                _apply_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Changes saved."))
                return redirect("consultations:detail", pk=consultation.pk)
        else:
            status = 400
    else:
        form = ConsultationForm(
            instance=consultation,
            actor=actor,
            editing=True,
            initial={"version": consultation.version},
        )
    picked = (
        _picked_answers(request)
        if request.method == "POST"
        else [
            str(given.version_id)
            for given in knowledge_selectors.answers_given(actor=actor, consultation=consultation)
        ]
    )
    return render(
        request,
        "consultations/edit.html",
        {
            "form": form,
            "c": consultation,
            "stale": stale,
            "picked_answers": picked,
            **intake_referral_context(
                actor=actor,
                data=request.POST if request.method == "POST" else None,
                consultation=consultation,
            ),
        },
        status=status,
    )


@login_required
@require_POST
def consultation_follow_up_done(request: HttpRequest, pk: Any) -> HttpResponse:
    consultation = _get_visible(request, pk)
    services.consultation_follow_up_complete(actor=_actor(request), consultation=consultation)
    messages.success(request, _("Follow-up marked as done."))
    if request.POST.get("next") == "home":
        return redirect("home")
    return redirect("consultations:detail", pk=consultation.pk)


@login_required
@require_POST
@sensitive_post_parameters(PHONE)
def caller_history(request: HttpRequest) -> HttpResponse:
    """Earlier contacts of the number typed in the intake form (POST: never in a URL)."""
    actor = _actor(request)
    if not access.may_record_anything(actor):
        raise PermissionDenied
    raw = request.POST.get(PHONE, "")
    error = ""
    earlier = None
    if raw.strip():
        try:
            earlier = selectors.earlier_contacts(actor=actor, caller_key=caller_key(raw))
        except ValidationError as exc:
            error = exc.messages[0]
    return render(
        request, "consultations/_caller_history.html", {"earlier": earlier, "error": error}
    )
