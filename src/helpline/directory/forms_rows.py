"""The repeated parts of the service edit screen: addresses, phones, opening hours.

Each is a Django formset; a row left entirely empty is ignored (as is a row marked for
removal), so that a spare row never blocks a save.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from helpline.common.countries import country_choices
from helpline.common.widgets import FastSelect

from .entry_data import LocationData, PhoneData, ScheduleData, timezone_choices
from .models import DEFAULT_TIMEZONE, Location, PhoneType, Service, Weekday
from .phones import phone_normalise

MAX_ROWS = 20


class RowForm(forms.Form):
    """A row of a formset. One whose fields are all empty counts as not there."""

    # Fields that always have a value (a select with a default) and so say nothing.
    ignored_when_blank: tuple[str, ...] = ()

    def is_blank(self) -> bool:
        if not self.is_bound:
            return False
        for name, field in self.fields.items():
            if name in (*self.ignored_when_blank, "DELETE"):
                continue
            value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            if isinstance(value, list | tuple):
                if any(str(item).strip() for item in value):
                    return False
            elif isinstance(value, bool):
                if value:
                    return False
            elif value is not None and str(value).strip():
                return False
        return True

    def full_clean(self) -> None:
        if self.is_blank():
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()


class LocationForm(RowForm):
    ignored_when_blank = ("id", "country", "timezone")

    id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Name of the place"),
        max_length=250,
        required=False,
        help_text=_("E.g. “Main office”; leave empty if there is only one."),
    )
    address_1 = forms.CharField(label=_("Street and building"), max_length=300)
    address_2 = forms.CharField(label=_("Entrance, floor, office"), max_length=300, required=False)
    city = forms.CharField(label=_("City"), max_length=100)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    state_province = forms.CharField(label=_("Region"), max_length=100, required=False)
    country = forms.ChoiceField(label=_("Country"), initial="RU", widget=FastSelect)
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        initial=DEFAULT_TIMEZONE,
        widget=FastSelect,
        help_text=_("The opening hours are local times of this place."),
    )
    transportation = forms.CharField(
        label=_("How to get there"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [c for c in country_choices() if c[0]]
        zones = timezone_choices()
        current = self.initial.get("timezone")
        if current and current not in {name for name, _label in zones}:
            zones = [(current, current), *zones]
        self.fields["timezone"].choices = zones

    def data_row(self) -> LocationData:
        data = self.cleaned_data
        return LocationData(
            id=data.get("id"),
            name=data["name"],
            address_1=data["address_1"],
            address_2=data["address_2"],
            city=data["city"],
            postal_code=data["postal_code"],
            state_province=data["state_province"],
            country=data["country"],
            timezone=data["timezone"],
            transportation=data["transportation"],
        )


class PhoneForm(RowForm):
    ignored_when_blank = ("type",)

    number = forms.CharField(
        label=_("Number"),
        max_length=60,
        help_text=_("As you would dial it: +998 71 123 45 67, 8 (495) 123-45-67."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    extension = forms.IntegerField(label=_("Extension"), required=False, min_value=1)
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        initial=PhoneType.VOICE,
        choices=PhoneType.choices,
    )
    description = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("E.g. “for women”, “WhatsApp”, “weekdays only”."),
    )

    def clean_number(self) -> str:
        return phone_normalise(self.cleaned_data["number"])

    def data_row(self) -> PhoneData:
        data = self.cleaned_data
        return PhoneData(
            number=data["number"],
            extension=data["extension"],
            type=data["type"],
            description=data["description"],
        )


class HoursForm(RowForm):
    days = forms.MultipleChoiceField(
        label=_("Days"),
        required=False,
        choices=Weekday.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "day"}),
    )
    all_day = forms.BooleanField(label=_("24 hours"), required=False)
    opens_at = forms.TimeField(
        label=_("Opens at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    closes_at = forms.TimeField(
        label=_("Closes at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    description = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("E.g. “lunch break 13:00–14:00”, “by appointment”."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("all_day"):
            data["opens_at"] = data["closes_at"] = None
            return data
        if not data.get("days") and "days" not in self.errors:
            self.add_error("days", _("Tick at least one day, or “24 hours” for every day."))
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if "opens_at" in self.errors or "closes_at" in self.errors:
            return data
        if opens is None:
            self.add_error("opens_at", _("Enter the opening time, or tick “24 hours”."))
        if closes is None:
            self.add_error("closes_at", _("Enter the closing time, or tick “24 hours”."))
        # Closing before opening is a night shift: open past midnight.
        if opens is not None and closes is not None and opens == closes:
            self.add_error(
                "closes_at",
                _(
                    "The closing time must differ from the opening time"
                    " (for all day, tick “24 hours”)."
                ),
            )
        return data

    def data_row(self) -> ScheduleData:
        data = self.cleaned_data
        return ScheduleData(
            days=list(data["days"]),
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            description=data["description"],
        )


class RowFormSet(forms.BaseFormSet):
    """Rows in order, without the removed and the empty ones."""

    def row_forms(self) -> list[Any]:
        """The rows that count (valid formset only), in the order of the screen."""
        return [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def _formset(form: type[RowForm], initial: list[dict[str, Any]]) -> type[RowFormSet]:
    return forms.formset_factory(
        form,
        formset=RowFormSet,
        extra=0 if initial else 1,
        can_delete=True,
        max_num=MAX_ROWS,
        validate_max=True,
    )


def location_rows(service: Service | None) -> list[dict[str, Any]]:
    if service is None:
        return []
    rows = []
    for link in service.service_at_locations.all():
        location: Location = link.location
        addresses = list(location.addresses.all())
        address = next((a for a in addresses if a.address_type != "postal"), None)
        row: dict[str, Any] = {
            "id": location.pk,
            "name": location.name,
            "timezone": location.timezone,
            "transportation": location.transportation,
        }
        if address is not None:
            row.update(
                address_1=address.address_1,
                address_2=address.address_2,
                city=address.city,
                postal_code=address.postal_code,
                state_province=address.state_province,
                country=address.country,
            )
        rows.append(row)
    return rows


def phone_rows(service: Service | None) -> list[dict[str, Any]]:
    if service is None:
        return []
    return [
        {
            "number": phone.number,
            "extension": phone.extension,
            "type": phone.type,
            "description": phone.description,
        }
        for phone in service.phones.all()
    ]


def hours_rows(service: Service | None) -> list[dict[str, Any]]:
    if service is None:
        return []
    return [
        {
            "days": schedule.days,
            "all_day": schedule.opens_at is None and schedule.closes_at is None,
            "opens_at": schedule.opens_at,
            "closes_at": schedule.closes_at,
            "description": schedule.description,
        }
        for schedule in service.schedules.all()
    ]


def row_formsets(data: Any, service: Service | None) -> dict[str, RowFormSet]:
    """The three formsets, by prefix: locations, phones, hours."""
    parts: dict[str, RowFormSet] = {}
    for prefix, form, initial in (
        ("locations", LocationForm, location_rows(service)),
        ("phones", PhoneForm, phone_rows(service)),
        ("hours", HoursForm, hours_rows(service)),
    ):
        parts[prefix] = _formset(form, initial)(data, initial=initial or None, prefix=prefix)
    return parts
