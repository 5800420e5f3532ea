"""The referral slip, printed from a referral: a PDF in the caller's language."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Referral
from .slip import referral_for_slip, referral_slip_pdf, slip_language

SLIP_FILENAME = "referral-slip.pdf"


@never_cache
@login_required
@require_GET
def referral_slip(request: HttpRequest, pk: Any) -> HttpResponse:
    """GET ?lang=ru|uz|tg|ky|en: the slip, shown by the browser, ready to print.

    Staff who may not see the referral get 404, as for a referral that does not exist.
    """
    actor: Any = request.user
    try:
        referral = referral_for_slip(actor=actor, pk=pk)
    except Referral.DoesNotExist as exc:
        raise Http404 from exc
    language = slip_language(requested=request.GET.get("lang", ""), referral=referral)
    response = HttpResponse(
        referral_slip_pdf(referral=referral, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{SLIP_FILENAME}"'
    response["Content-Language"] = language
    return response
