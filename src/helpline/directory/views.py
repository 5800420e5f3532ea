"""The directory's screens. Reads go through the selectors (which check access); the views
only pick the request apart and choose the template."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django_htmx.http import push_url

from helpline.accounts import access

from .search.forms import ServiceSearchForm
from .search.selectors import service_search

INTAKE = "intake"


def _search_context(request: HttpRequest, *, intake: bool, page: bool) -> dict[str, Any]:
    actor: Any = request.user
    if not access.can_read_directory(actor):
        raise PermissionDenied
    # The results alone show no form: its lists need no labels.
    form = ServiceSearchForm(request.GET or None, actor=actor, labels=page)
    query = form.search_query()
    result = service_search(actor=actor, query=query)
    national_from = None
    if query.city:
        national_from = next((i for i, hit in enumerate(result.hits) if not hit.is_local), None)
    results_url = reverse("directory:search_results")
    more = form.more()
    if intake:
        more["mode"] = INTAKE
    return {
        "form": form,
        "query": query,
        "result": result,
        "intake": intake,
        "national_from": national_from,
        "more_url": f"{results_url}?{urlencode(more)}",
        "more_page_url": f"{reverse('directory:search')}?{urlencode(form.more())}",
    }


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """The search page: words and filters, and the services found (open to all staff)."""
    return render(
        request, "directory/search.html", _search_context(request, intake=False, page=True)
    )


@login_required
def search_results(request: HttpRequest) -> HttpResponse:
    """The services found, without the page around them: for the search page's updates and,
    with ``mode=intake``, for picking a service to refer to inside the intake form."""
    intake = request.GET.get("mode") == INTAKE
    context = _search_context(request, intake=intake, page=False)
    response = render(request, "directory/_search_results.html", context)
    if getattr(request, "htmx", False) and not intake:
        # The address bar shows the search page of these results, which a reload reopens.
        params = context["form"].params()
        page = reverse("directory:search")
        push_url(response, f"{page}?{urlencode(params)}" if params else page)
    return response
