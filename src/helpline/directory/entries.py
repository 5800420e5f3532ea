"""The directory's entries: the service page for all staff, and the screens on which
coordinators keep entries current (edit, verify, archive, the list of entries not
verified for 180 days, archived entries, organisations).

Reads go through the selectors, writes through the services; the views pick the request
apart and choose the template.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from helpline.accounts import access

from . import selectors, services
from .forms import OrganizationForm, ServiceEditor
from .models import Organization, Service
from .presentation import service_card

PAGE_SIZE = 100


def current_user(request: HttpRequest) -> Any:
    return request.user


def _guarded(allowed: Callable[[Any], bool]) -> Callable[..., Any]:
    """Signed in (else to the login page) and `allowed` (else 403)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allowed(current_user(request)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = _guarded(access.can_read_directory)
editor_required = _guarded(access.can_edit_directory)


def _service_or_404(request: HttpRequest, service_id: uuid.UUID) -> Service:
    try:
        return selectors.service_detail(actor=current_user(request), service_id=service_id)
    except Service.DoesNotExist as exc:
        raise Http404 from exc


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def service_cities(service: Service) -> list[str]:
    """The cities of a service's street addresses (prefetched by the list selectors)."""
    cities: list[str] = []
    for link in service.service_at_locations.all():
        for address in link.location.addresses.all():
            if address.address_type != "postal" and address.city and address.city not in cities:
                cities.append(address.city)
    return cities


# --- The service page -------------------------------------------------------------------------


@staff_required
def service(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    entry = _service_or_404(request, service_id)
    today = timezone.localdate()
    locations = [link.location for link in entry.service_at_locations.all()]
    return render(
        request,
        "directory/service.html",
        {
            "service": entry,
            "card": service_card(entry),
            "locations": locations,
            "stale": selectors.is_stale(entry, today),
            "days_since_verified": (today - entry.verified_on).days if entry.verified_on else None,
            "editor": access.can_edit_directory(current_user(request)),
        },
    )


# --- Editing ----------------------------------------------------------------------------------


def _render_editor(
    request: HttpRequest,
    editor: ServiceEditor,
    *,
    status: int = 200,
    stale: Service | None = None,
) -> HttpResponse:
    return render(
        request,
        "directory/service_form.html",
        {
            "editor": editor,
            "form": editor.form,
            "service": editor.service,
            "errors": editor.error_lines() if status != 200 else [],
            "stale": stale,
        },
        status=status,
    )


@editor_required
def service_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_editor(request, ServiceEditor())
    editor = ServiceEditor(request.POST)
    if editor.is_valid():
        try:
            created = services.service_create(
                actor=current_user(request), data=editor.service_data()
            )
        except ValidationError as exc:
            editor.apply_errors(exc)
        else:
            messages.success(request, _("Service added to the directory."))
            return redirect("directory:service", service_id=created.pk)
    return _render_editor(request, editor, status=400)


@editor_required
def service_edit(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    entry = _service_or_404(request, service_id)
    if request.method != "POST":
        return _render_editor(request, ServiceEditor(service=entry))
    editor = ServiceEditor(request.POST, service=entry)
    if editor.is_valid():
        expected = editor.form.cleaned_data["revision"] or 0
        try:
            services.service_update(
                actor=current_user(request),
                service=entry,
                data=editor.service_data(),
                expected_revision=expected,
            )
        except services.StaleRevisionError as exc:
            data = request.POST.copy()
            data["revision"] = str(exc.current.revision)  # saving again replaces theirs
            editor = ServiceEditor(data, service=entry)
            editor.is_valid()
            return _render_editor(request, editor, status=409, stale=exc.current)
        except ValidationError as exc:
            editor.apply_errors(exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("directory:service", service_id=entry.pk)
    return _render_editor(request, editor, status=400)


# --- Verify, archive, restore -----------------------------------------------------------------

_ACTIONS: dict[str, dict[str, Any]] = {
    "verify": {
        "write": services.service_verify,
        "done": gettext_lazy("Marked as verified today."),
    },
    "archive": {
        "write": services.service_archive,
        "done": gettext_lazy("Archived: consultants no longer find it in search."),
    },
    "restore": {
        "write": services.service_restore,
        "done": gettext_lazy("Restored: the service is in search again."),
    },
}


def _action(request: HttpRequest, service_id: uuid.UUID, action: str) -> HttpResponse:
    """GET asks for confirmation (the page works without scripts); POST does it."""
    entry = _service_or_404(request, service_id)
    page = reverse("directory:service", args=[entry.pk])
    if request.method != "POST":
        return render(
            request,
            "directory/service_confirm.html",
            {"service": entry, "action": action, "next": _next_url(request, page)},
        )
    _ACTIONS[action]["write"](actor=current_user(request), service=entry)
    if action == "verify" and getattr(request, "htmx", False):
        entry.cities = service_cities(entry)  # type: ignore[attr-defined]
        return render(request, "directory/_stale_row.html", {"service": entry, "verified": True})
    messages.success(request, str(_ACTIONS[action]["done"]))
    return redirect(_next_url(request, page))


@editor_required
@require_http_methods(["GET", "POST"])
def service_verify(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    return _action(request, service_id, "verify")


@editor_required
@require_http_methods(["GET", "POST"])
def service_archive(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    return _action(request, service_id, "archive")


@editor_required
@require_http_methods(["GET", "POST"])
def service_restore(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    return _action(request, service_id, "restore")


# --- Lists for keeping the directory current --------------------------------------------------


def _page(request: HttpRequest, rows: Any, count: int | None = None) -> Any:
    paginator = Paginator(rows, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # already counted; saves a query
    page = paginator.get_page(request.GET.get("page"))
    for row in page.object_list:
        row.cities = service_cities(row)
    return page


@editor_required
def stale(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    result = selectors.services_stale(actor=current_user(request), today=today)
    page = _page(request, result.services, result.total)
    for row in page.object_list:
        row.days_since_verified = (today - row.verified_on).days if row.verified_on else None
    return render(
        request,
        "directory/stale.html",
        {"result": result, "page": page, "today": today},
    )


@editor_required
def archived(request: HttpRequest) -> HttpResponse:
    rows = selectors.services_archived(actor=current_user(request))
    return render(request, "directory/archived.html", {"page": _page(request, rows)})


# --- Organisations ----------------------------------------------------------------------------


@editor_required
def organizations(request: HttpRequest) -> HttpResponse:
    rows = selectors.organization_list(actor=current_user(request))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "directory/organizations.html", {"page": page})


def _organization_or_404(request: HttpRequest, organization_id: uuid.UUID) -> Organization:
    found = selectors.organization_list(actor=current_user(request)).filter(pk=organization_id)
    organization = found.first()
    if organization is None:
        raise Http404
    return organization


@editor_required
def organization_create(request: HttpRequest) -> HttpResponse:
    return _organization_form(request, None)


@editor_required
def organization_edit(request: HttpRequest, organization_id: uuid.UUID) -> HttpResponse:
    return _organization_form(request, _organization_or_404(request, organization_id))


def _organization_form(request: HttpRequest, organization: Organization | None) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = (
            OrganizationForm.for_organization(organization, request.POST)
            if organization
            else OrganizationForm(request.POST)
        )
        if form.is_valid():
            actor = current_user(request)
            try:
                if organization is None:
                    services.organization_create(actor=actor, data=form.organization_data())
                else:
                    services.organization_update(
                        actor=actor, organization=organization, data=form.organization_data()
                    )
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    for message in errors:
                        form.add_error(name if name in form.fields else None, message)
            else:
                messages.success(request, _("Organisation saved."))
                return redirect("directory:organizations")
        status = 400
    else:
        form = (
            OrganizationForm.for_organization(organization) if organization else OrganizationForm()
        )
    return render(
        request,
        "directory/organization_form.html",
        {"form": form, "organization": organization},
        status=status,
    )
