"""The directory's edit screens: a service with its organisation on one screen, and an
organisation on its own.

`ServiceEditor` holds the service form and the formsets of its repeated parts
(`forms_rows`), turns them into `ServiceData` for the services, puts the services' errors
back on the right field of the right row, and lists every error with the name of its
field (and row) for the summary at the top of the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpline.common.countries import country_choices
from helpline.common.models import Language
from helpline.common.widgets import FastCheckboxes, FastSelect

from .entry_data import OrganizationData, ServiceData
from .forms_rows import RowFormSet, row_formsets
from .models import CostLevel, Organization, ServedSex, Service, ServiceCategory, ServiceStatus
from .services import MAX_DOCUMENT_LENGTH

ROW_LABELS = {
    "locations": gettext_lazy("Address %(number)s"),
    "phones": gettext_lazy("Phone %(number)s"),
    "hours": gettext_lazy("Opening hours, row %(number)s"),
}
NO_ADDRESS = gettext_lazy(
    "Add at least one address, or tick “serves callers anywhere in the country”."
)
PART_LABELS = {
    "locations": gettext_lazy("Addresses"),
    "phones": gettext_lazy("Phones"),
    "hours": gettext_lazy("Opening hours"),
}


class PickerCheckboxes(FastCheckboxes):
    """Checkboxes in the filterable picker, a flat list."""

    @staticmethod
    def option_class(value: Any) -> str:  # type: ignore[override]
        return "topic-option plain"


class CategoryCheckboxes(FastCheckboxes):
    """Categories in the filterable picker, a dotted code indented under its parent."""

    @staticmethod
    def option_class(value: Any) -> str:  # type: ignore[override]
        return "topic-option sub" if "." in str(value) else "topic-option"


def _text(label: str, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class ServiceForm(forms.Form):
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organization.objects.none(),
        required=False,
        widget=FastSelect,
    )
    new_organization_name = forms.CharField(
        label=gettext_lazy("…or a new organisation"), max_length=250, required=False
    )
    new_organization_website = forms.URLField(
        assume_scheme="https",
        label=gettext_lazy("Website of the new organisation"),
        max_length=500,
        required=False,
    )
    name = forms.CharField(label=gettext_lazy("Name of the service"), max_length=250)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=ServiceStatus.choices, initial=ServiceStatus.ACTIVE
    )
    description = _text(gettext_lazy("Description"), 4)
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Categories"),
        widget=CategoryCheckboxes,
        error_messages={"required": gettext_lazy("Choose at least one category.")},
    )
    alert = _text(
        gettext_lazy("Alert"),
        2,
        help_text=gettext_lazy("Shown first, e.g. “closed until 15 March”."),
    )
    citizenships = forms.MultipleChoiceField(
        label=gettext_lazy("Citizenships served"),
        required=False,
        widget=PickerCheckboxes,
        help_text=gettext_lazy("None ticked: citizens of any country."),
    )
    sexes = forms.MultipleChoiceField(
        label=gettext_lazy("Serves"),
        required=False,
        choices=ServedSex.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: everyone."),
    )
    minimum_age = forms.IntegerField(
        label=gettext_lazy("Minimum age"), required=False, min_value=0, max_value=120
    )
    maximum_age = forms.IntegerField(
        label=gettext_lazy("Maximum age"), required=False, min_value=0, max_value=120
    )
    eligibility_description = _text(gettext_lazy("Who can use it"))
    walk_ins = forms.BooleanField(label=gettext_lazy("Walk-ins accepted"), required=False)
    is_national = forms.BooleanField(
        label=gettext_lazy("Serves callers anywhere in the country"),
        required=False,
        help_text=gettext_lazy("A phone line or online service, not tied to one city."),
    )
    cost = forms.ChoiceField(label=gettext_lazy("Cost"), choices=CostLevel.choices, required=False)
    fees_description = _text(gettext_lazy("Fees"), 2)
    documents = _text(
        gettext_lazy("Documents to bring"),
        3,
        help_text=gettext_lazy("One document per line."),
    )
    no_documents_needed = forms.BooleanField(
        label=gettext_lazy("No documents needed"), required=False
    )
    no_registration_needed = forms.BooleanField(
        label=gettext_lazy("No migration registration needed"), required=False
    )
    application_process = _text(gettext_lazy("How to apply"))
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages spoken"), required=False, widget=PickerCheckboxes
    )
    url = forms.URLField(
        assume_scheme="https", label=gettext_lazy("Website"), max_length=500, required=False
    )
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    mark_verified = forms.BooleanField(
        label=gettext_lazy("I checked these details with the service today"), required=False
    )

    def __init__(self, *args: Any, service: Service | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.order_by("name")
        self.fields["organization"].empty_label = _("— choose —")
        current = list(service.categories.all()) if service else []
        categories = ServiceCategory.objects.filter(
            Q(is_active=True) | Q(pk__in=[c.pk for c in current])
        ).order_by("position", "code")
        self.fields["categories"].choices = [(c.code, c.label) for c in categories]
        self.fields["citizenships"].choices = [c for c in country_choices() if c[0]]
        self.fields["languages"].choices = [
            (language.code, language.label)
            for language in Language.objects.filter(is_active=True).order_by("position", "code")
        ]

    def clean_documents(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["documents"].splitlines()]
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_DOCUMENT_LENGTH:
                raise ValidationError(
                    _("Line %(number)s is too long (at most %(max)s characters).")
                    % {"number": number, "max": MAX_DOCUMENT_LENGTH}
                )
        return [line for line in lines if line]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        picked = data.get("organization")
        typed = data.get("new_organization_name", "").strip()
        if picked and typed:
            self.add_error(
                "new_organization_name",
                _("Choose an organisation or type a new one, not both."),
            )
        elif not picked and not typed and "organization" not in self.errors:
            self.add_error(
                "organization", _("Choose the organisation, or type the name of a new one.")
            )
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The maximum age must not be below the minimum age."))
        if data.get("no_documents_needed") and data.get("documents"):
            self.add_error(
                "documents",
                _("You ticked “no documents needed”: remove the documents or untick it."),
            )
        return data


def service_initial(service: Service) -> dict[str, Any]:
    initial = {
        name: getattr(service, name)
        for name in (
            "name",
            "status",
            "description",
            "alert",
            "minimum_age",
            "maximum_age",
            "eligibility_description",
            "walk_ins",
            "is_national",
            "cost",
            "fees_description",
            "no_documents_needed",
            "no_registration_needed",
            "application_process",
            "url",
            "email",
        )
    }
    initial.update(
        revision=service.revision,
        organization=service.organization_id,
        categories=[c.code for c in service.categories.all()],
        citizenships=list(service.citizenships or []),
        sexes=list(service.sexes or []),
        languages=[language.code for language in service.languages.all()],
        documents="\n".join(d.document for d in service.required_documents.all()),
    )
    return initial


@dataclass
class ErrorLine:
    """One line of the error summary: which field (and row), what is wrong, where it is."""

    label: str
    message: str
    anchor: str


class ServiceEditor:
    """The service edit screen: one form, three formsets."""

    def __init__(self, data: Any = None, *, service: Service | None = None) -> None:
        self.service = service
        initial = service_initial(service) if service else {}
        self.form = ServiceForm(data, initial=initial, service=service)
        self.parts: dict[str, RowFormSet] = row_formsets(data, service)
        self.locations = self.parts["locations"]
        self.phones = self.parts["phones"]
        self.hours = self.parts["hours"]
        self.part_errors: dict[str, list[str]] = {}

    def is_valid(self) -> bool:
        results = [self.form.is_valid(), *(part.is_valid() for part in self.parts.values())]
        national = self.form.cleaned_data.get("is_national")
        if self.locations.is_valid() and not self.locations.row_forms() and not national:
            self.part_errors.setdefault("locations", []).append(NO_ADDRESS)
            results.append(False)
        return all(results)

    def service_data(self) -> ServiceData:
        data = self.form.cleaned_data
        organization: Organization | OrganizationData = data["organization"] or OrganizationData(
            name=data["new_organization_name"], website=data["new_organization_website"]
        )
        return ServiceData(
            organization=organization,
            **{name: data[name] for name in COPIED_FIELDS},
            categories=list(data["categories"]),
            citizenships=list(data["citizenships"]),
            sexes=list(data["sexes"]),
            languages=list(data["languages"]),
            documents=list(data["documents"]),
            locations=[form.data_row() for form in self.locations.row_forms()],
            phones=[form.data_row() for form in self.phones.row_forms()],
            schedules=[form.data_row() for form in self.hours.row_forms()],
        )

    def apply_errors(self, error: ValidationError) -> None:
        """Put the services' errors on their fields: ``name``, ``phones-2-number``..."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.form.add_error(None, message)
            return
        for key, messages in error.message_dict.items():
            prefix, _sep, rest = key.partition("-")
            if prefix in self.parts and rest:
                index, _sep, field = rest.partition("-")
                rows = self.parts[prefix].row_forms()
                if index.isdigit() and int(index) < len(rows):
                    row = rows[int(index)]
                    for message in messages:
                        row.add_error(field if field in row.fields else None, message)
                    continue
            if prefix in self.parts and not rest:
                self.part_errors.setdefault(prefix, []).extend(messages)
                continue
            target = key if key in self.form.fields else None
            for message in messages:
                self.form.add_error(target, message)

    def error_lines(self) -> list[ErrorLine]:
        """Every error, naming its field and row, for the summary above the form."""
        lines = [
            ErrorLine(_("Form"), message, "service-form")
            for message in self.form.non_field_errors()
        ]
        for name, errors in self.form.errors.items():
            if name == NON_FIELD_ERRORS:
                continue
            field = self.form[name]
            lines.extend(ErrorLine(str(field.label), e, field.auto_id) for e in errors)
        for prefix, part in self.parts.items():
            for message in [*part.non_form_errors(), *self.part_errors.get(prefix, [])]:
                lines.append(ErrorLine(str(PART_LABELS[prefix]), message, f"{prefix}-part"))
            for form in part.forms:
                row = str(ROW_LABELS[prefix] % {"number": int(form.prefix.rsplit("-", 1)[-1]) + 1})
                for name, errors in form.errors.items():
                    if name == NON_FIELD_ERRORS:
                        label, anchor = row, f"{form.prefix}-row"
                    else:
                        label = f"{row}: {form[name].label}"
                        anchor = form[name].auto_id
                    lines.extend(ErrorLine(label, message, anchor) for message in errors)
        return lines


# Fields of the form that go to ServiceData as they are.
COPIED_FIELDS = (
    "name",
    "status",
    "description",
    "alert",
    "minimum_age",
    "maximum_age",
    "eligibility_description",
    "walk_ins",
    "is_national",
    "cost",
    "fees_description",
    "no_documents_needed",
    "no_registration_needed",
    "application_process",
    "url",
    "email",
    "mark_verified",
)


class OrganizationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=250)
    alternate_name = forms.CharField(
        label=gettext_lazy("Other name"), max_length=250, required=False
    )
    description = _text(gettext_lazy("Description"), 3)
    website = forms.URLField(
        assume_scheme="https", label=gettext_lazy("Website"), max_length=500, required=False
    )
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    legal_status = forms.CharField(
        label=gettext_lazy("Legal status"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("E.g. “non-profit organisation”, “state clinic”."),
    )

    @classmethod
    def for_organization(cls, organization: Organization, data: Any = None) -> OrganizationForm:
        initial = {name: getattr(organization, name) for name in cls.base_fields}
        return cls(data, initial=initial)

    def organization_data(self) -> OrganizationData:
        return OrganizationData(**{name: self.cleaned_data[name] for name in self.fields})
