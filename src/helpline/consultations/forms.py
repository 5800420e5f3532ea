"""Forms of the questionnaire: intake and edit, and the list filters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpline.accounts import access
from helpline.accounts.models import Centre, User
from helpline.common.countries import country_choices
from helpline.common.widgets import FastCheckboxes, FastSelect

from .caller_key import normalise_phone
from .models import (
    MAX_DURATION_MINUTES,
    MAX_TOPICS,
    AgeBand,
    CallerRole,
    Channel,
    Consultation,
    Education,
    EmploymentStatus,
    LegalStatus,
    Region,
    Sex,
    Topic,
)
from .selectors import SORTS, ConsultationFilters

REFERENCE_FIELDS = {
    "channel": Channel,
    "caller_role": CallerRole,
    "age_band": AgeBand,
    "education": Education,
    "legal_status": LegalStatus,
    "employment_status": EmploymentStatus,
    "region": Region,
}


def topic_label(obj: Topic) -> str:
    return obj.label if obj.parent_id is None else f"— {obj.label}"


class TopicCheckboxes(FastCheckboxes):
    @staticmethod
    def option_class(value: Any) -> str:  # type: ignore[override]
        instance = getattr(value, "instance", None)
        return "topic-option sub" if getattr(instance, "parent_id", None) else "topic-option"


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Topic) -> str:  # type: ignore[override]
        return topic_label(obj)


class TopicFilterField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Topic) -> str:  # type: ignore[override]
        return topic_label(obj)


class ConsultationForm(forms.ModelForm):
    """The shared questionnaire. The phone number is asked only to recognise a repeat caller
    (with the caller's consent); it is never saved, only its keyed hash."""

    topics = TopicChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        widget=TopicCheckboxes,
        error_messages={"required": _("Choose at least one topic.")},
        help_text=_("One to five topics. Type to filter, Enter to tick the first match."),
    )
    caller_phone = forms.CharField(
        label=_("Caller's phone (only with consent, for repeat contacts)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "tel", "data-no-draft": "1"}
        ),
        help_text=_("Never stored: only a code that recognises the same number again."),
    )
    forget_caller = forms.BooleanField(
        label=_("Forget the repeat-caller link of this contact"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Consultation
        fields = [
            "started_at",
            "duration_minutes",
            "channel",
            "caller_role",
            "citizenship",
            "sex",
            "age_band",
            "language",
            "region",
            "legal_status",
            "employment_status",
            "education",
            "topics",
            "question",
            "answer",
            "psychological_support",
            "follow_up_needed",
            "follow_up_due",
            "notes",
        ]
        widgets = {
            **{name: FastSelect for name in (*REFERENCE_FIELDS, "citizenship", "sex", "language")},
            "started_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "follow_up_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "question": forms.Textarea(attrs={"rows": 3}),
            "answer": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "duration_minutes": forms.NumberInput(attrs={"min": 0, "max": MAX_DURATION_MINUTES}),
        }

    def __init__(self, *args: Any, actor: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.editing = editing
        instance = self.instance if editing else None
        for name, model in REFERENCE_FIELDS.items():
            current = getattr(instance, f"{name}_id", None) if instance else None
            self.fields[name].queryset = model.objects.filter(  # type: ignore[attr-defined]
                Q(is_active=True) | Q(pk=current)
            )
        current_topics = list(instance.topics.values_list("pk", flat=True)) if instance else []
        self.fields["topics"].queryset = (
            Topic.objects.filter(Q(is_active=True) | Q(pk__in=current_topics))
            .select_related("parent")
            .order_by("position", "code")
        )
        self.fields["language"].queryset = self.fields["language"].queryset.filter(
            Q(is_active=True) | Q(pk=getattr(instance, "language_id", None))
        )
        for name in (*REFERENCE_FIELDS, "language"):
            self.fields[name].empty_label = "—"
        self.fields["channel"].empty_label = None
        self.fields["citizenship"].choices = [("", _("— not known —")), *country_choices()]
        self.fields["caller_role"].required = True
        self.fields["sex"].required = True
        self.fields["sex"].choices = [("", "—"), *Sex.choices]
        self.fields["started_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if not editing:
            self.fields.pop("forget_caller")
            self.fields.pop("version")
            if actor.centre_id is None:
                self.fields["centre"] = forms.ModelChoiceField(
                    label=_("Centre"), queryset=Centre.objects.filter(is_active=True)
                )
                self.order_fields(["centre"])
        elif not getattr(instance, "caller_key", ""):
            self.fields.pop("forget_caller")
        if instance is not None and instance.is_non_data:
            for name in list(self.fields):
                if name not in ("started_at", "duration_minutes", "channel", "version"):
                    self.fields.pop(name)

    def clean_caller_phone(self) -> str:
        raw = self.cleaned_data.get("caller_phone", "")
        if raw:
            normalise_phone(raw)
        return str(raw)

    def clean_topics(self) -> list[Topic]:
        topics = list(self.cleaned_data.get("topics") or [])
        if len(topics) > MAX_TOPICS:
            raise forms.ValidationError(_("Choose at most %(max)s topics.") % {"max": MAX_TOPICS})
        return topics

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("follow_up_needed") and not data.get("follow_up_due"):
            self.add_error("follow_up_due", _("Give the date by which to follow up."))
        started = data.get("started_at")
        if started and started > timezone.now() + timedelta(minutes=5):
            self.add_error("started_at", _("The start time cannot be in the future."))
        return data

    def _post_clean(self) -> None:
        # The service validates and saves; the form must not touch the instance.
        pass


PERIOD_CHOICES = [
    ("30", _("Last 30 days")),
    ("7", _("Last 7 days")),
    ("today", _("Today")),
    ("90", _("Last 90 days")),
    ("365", _("Last 12 months")),
    ("all", _("All time")),
    ("custom", _("Dates below")),
]
PAGE_SIZES = [25, 50, 100, 200]


class ConsultationFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"), choices=PERIOD_CHOICES, required=False, initial="30"
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    centre = forms.ModelChoiceField(
        label=_("Centre"), queryset=Centre.objects.all(), required=False
    )
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.all(), required=False
    )
    topic = TopicFilterField(label=_("Topic"), queryset=Topic.objects.all(), required=False)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    consultant = forms.ModelChoiceField(
        label=_("Consultant"), queryset=User.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Contacts"),
        required=False,
        choices=[("", _("All")), ("data", _("Consultations")), ("non_data", _("Non-data"))],
    )
    follow_up = forms.ChoiceField(
        label=_("Follow-up"),
        required=False,
        choices=[("", "—"), ("open", _("Open")), ("due", _("Due or overdue"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("-started_at", _("Newest first")),
            ("started_at", _("Oldest first")),
            ("-duration", _("Longest first")),
            ("duration", _("Shortest first")),
        ],
    )
    per_page = forms.TypedChoiceField(
        label=_("Per page"),
        required=False,
        coerce=int,
        choices=[(n, n) for n in PAGE_SIZES],
        empty_value=PAGE_SIZES[1],
        initial=PAGE_SIZES[1],
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.order_by("position", "code")
        for name in ("centre", "channel", "topic", "consultant"):
            self.fields[name].empty_label = "—"
        self.fields["citizenship"].choices = [("", "—"), *country_choices()]
        if access.sees_all_centres(actor):
            self.fields["consultant"].queryset = User.objects.filter(centre__isnull=False).order_by(
                "username"
            )
        else:
            self.fields.pop("centre")
            self.fields["consultant"].queryset = User.objects.filter(
                centre_id=actor.centre_id
            ).order_by("username")
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = FastSelect(attrs=field.widget.attrs, choices=field.widget.choices)

    def to_filters(self) -> ConsultationFilters:
        self.is_valid()  # invalid fields are reported and left out; the others still apply
        data = self.cleaned_data
        today = timezone.localdate()
        period = data.get("period") or "30"
        date_from = date_to = None
        if period == "custom":
            date_from, date_to = data.get("date_from"), data.get("date_to")
        elif period == "today":
            date_from = date_to = today
        elif period != "all":
            date_from, date_to = today - timedelta(days=int(period) - 1), today
        sort = data.get("sort") or "-started_at"
        return ConsultationFilters(
            date_from=date_from,
            date_to=date_to,
            centre_id=getattr(data.get("centre"), "pk", None),
            channel_id=getattr(data.get("channel"), "pk", None),
            topic_id=getattr(data.get("topic"), "pk", None),
            citizenship=data.get("citizenship") or "",
            sex=data.get("sex") or "",
            consultant_id=getattr(data.get("consultant"), "pk", None),
            kind=data.get("kind") or "",
            follow_up=data.get("follow_up") or "",
            sort=sort if sort in SORTS else "-started_at",
        )
