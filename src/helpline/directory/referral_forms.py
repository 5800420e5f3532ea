"""Forms of the referral screens: a status change, and the list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helpline.accounts import access
from helpline.accounts.models import Centre

from .models import OPEN_REFERRAL_STATUSES, Referral, ReferralStatus
from .referral_selectors import ReferralFilters
from .referrals import next_statuses


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    follow_up_on = forms.DateField(
        label=_("Next follow-up"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a status that is not an outcome: when to check again."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.ChoiceField)
        status_field.choices = [(s.value, s.label) for s in next_statuses(referral.status)]
        self.fields["revision"].initial = referral.revision

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") not in OPEN_REFERRAL_STATUSES:
            data["follow_up_on"] = None
        return data


STATUS_FILTERS = [
    ("", _("Any status")),
    ("open", pgettext_lazy("referrals", "Open")),
    ("due", _("Follow-up due")),
    ("failed", _("Failed (declined, did not come, unreachable)")),
    *ReferralStatus.choices,
]


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTERS, required=False)
    centre = forms.ModelChoiceField(
        label=_("Centre"), queryset=Centre.objects.none(), required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    service = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if access.sees_all_centres(actor):
            centre_field = self.fields["centre"]
            assert isinstance(centre_field, forms.ModelChoiceField)
            centre_field.queryset = Centre.objects.filter(is_active=True)
        else:
            del self.fields["centre"]

    def to_filters(self) -> ReferralFilters:
        if not self.is_bound or not self.is_valid():
            return ReferralFilters()
        data = self.cleaned_data
        centre = data.get("centre")
        return ReferralFilters(
            status=data.get("status") or "",
            service_id=data.get("service"),
            centre_id=centre.pk if centre else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
