"""The referral directory, modelled on Open Referral HSDS 3.0, and referrals made from it.

The HSDS core objects keep their HSDS names and fields (organization -> Organization,
service -> Service, location -> Location, ...), with uuid keys that are the HSDS ids.
What our users need beyond HSDS (citizenships and sexes served, cost level, walk-ins,
"no documents needed", who verified an entry and when) lives on Service and is carried
in HSDS exports as attributes of our own taxonomy (see `hsds/`).

A referral is not part of the directory's data: it belongs to a consultation, and keeps a
snapshot of the service as it was given to the caller, so that it stays readable when the
entry changes or is archived.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from helpline.accounts.models import Centre
from helpline.common.models import BaseModel, Language, ReferenceItem

# Namespace of the ids derived from our own data (taxonomy terms, languages, attributes),
# so that an export gives every object the same id each time.
HSDS_NAMESPACE = uuid.UUID("8d4b4a53-3c1f-4c53-9d0e-5b0d3f1f6a21")
DEFAULT_TIMEZONE = "Europe/Moscow"
STALE_AFTER_DAYS = 180


def derived_id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(HSDS_NAMESPACE, ":".join(str(part) for part in parts))


class ServiceCategory(ReferenceItem):
    """A kind of service (hostel, clinic for foreigners, legal aid...): an HSDS taxonomy term."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    @property
    def hsds_id(self) -> uuid.UUID:
        return derived_id("category", self.code)


class Organization(BaseModel):
    name = models.CharField(_("name"), max_length=250)
    alternate_name = models.CharField(_("other name"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    legal_status = models.CharField(_("legal status"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo entry"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("Physical place")
    POSTAL = "postal", _("Postal address")
    VIRTUAL = "virtual", _("Online or by phone")


class Location(BaseModel):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="locations",
    )
    location_type = models.CharField(
        _("type"), max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField(_("name"), max_length=250, blank=True)
    alternate_name = models.CharField(_("other name"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    transportation = models.TextField(_("how to get there"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    url = models.URLField(_("web address"), max_length=500, blank=True)
    # Our addition: opening hours are local times; "open now" reads them in this zone.
    timezone = models.CharField(_("time zone"), max_length=60, default=DEFAULT_TIMEZONE)

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name or str(self.pk)


class AddressType(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    POSTAL = "postal", _("Postal")
    VIRTUAL = "virtual", _("Virtual")


class Address(BaseModel):
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.CASCADE, related_name="addresses"
    )
    attention = models.CharField(_("for the attention of"), max_length=200, blank=True)
    address_1 = models.CharField(_("street address"), max_length=300)
    address_2 = models.CharField(_("address, more"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("district"), max_length=100, blank=True)
    state_province = models.CharField(_("region"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, default="RU")
    address_type = models.CharField(
        _("address type"), max_length=10, choices=AddressType.choices, default=AddressType.PHYSICAL
    )

    class Meta:
        ordering = ["address_type", "city", "address_1"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return ", ".join(part for part in (self.address_1, self.address_2, self.city) if part)


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Closed for good")


class CostLevel(models.TextChoices):
    FREE = "free", _("Free")
    LOW = "low", _("Low cost")
    PAID = "paid", _("Paid")
    UNKNOWN = "", _("Not known")


class ServedSex(models.TextChoices):
    FEMALE = "female", _("Women")
    MALE = "male", _("Men")


class Service(BaseModel):
    """A service an organisation offers: what a consultant refers a caller to."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    name = models.CharField(_("name"), max_length=250)
    alternate_name = models.CharField(_("other name"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    interpretation_services = models.TextField(_("interpretation"), blank=True)
    application_process = models.TextField(_("how to apply"), blank=True)
    fees_description = models.TextField(_("fees"), blank=True)
    wait_time = models.CharField(_("waiting time"), max_length=200, blank=True)
    eligibility_description = models.TextField(_("who can use it"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    alert = models.TextField(_("alert"), blank=True)
    categories = models.ManyToManyField(
        ServiceCategory, verbose_name=_("categories"), related_name="services"
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages spoken"), blank=True, related_name="+"
    )
    # ISO 3166-1 alpha-2 codes of the citizenships served; empty: everyone.
    citizenships = models.JSONField(_("citizenships served"), default=list, blank=True)
    # ServedSex values; empty: everyone.
    sexes = models.JSONField(_("sexes served"), default=list, blank=True)
    cost = models.CharField(
        _("cost"), max_length=10, choices=CostLevel.choices, default=CostLevel.UNKNOWN, blank=True
    )
    walk_ins = models.BooleanField(_("walk-ins accepted"), default=False)
    no_documents_needed = models.BooleanField(_("no documents needed"), default=False)
    no_registration_needed = models.BooleanField(
        _("no migration registration needed"), default=False
    )
    is_national = models.BooleanField(
        _("serves callers anywhere in the country"),
        default=False,
        help_text=_("A phone line or online service, not tied to one city."),
    )
    verified_on = models.DateField(_("last verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who verified it when that person is not a user here (an imported entry).
    verified_by_name = models.CharField(_("verified by (name)"), max_length=200, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo entry"), default=False)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [
            models.Index(fields=["archived_at", "verified_on"], name="service_verified"),
        ]
        constraints = [
            models.CheckConstraint(
                name="service_age_range",
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class ServiceAtLocation(BaseModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="service_location_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


class PhoneType(models.TextChoices):
    VOICE = "voice", _("Voice")
    CELL = "cell", _("Mobile")
    TEXT = "text", _("Text messages")
    FAX = "fax", _("Fax")
    VIDEO = "video", _("Video call")
    TEXTPHONE = "textphone", _("Textphone")
    MESSENGER = "messenger", _("Messenger")


class Phone(BaseModel):
    """A phone number of a service, location, organisation or contact (one owner each)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    contact = models.ForeignKey(
        "Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    number = models.CharField(_("number"), max_length=60)
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = models.CharField(_("type"), max_length=12, choices=PhoneType.choices, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "number"]
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return self.number


class Weekday(models.TextChoices):
    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")


WEEKDAYS = [day.value for day in Weekday]


class Schedule(BaseModel):
    """Opening hours in the HSDS (iCalendar RRULE) shape: on `byday`, from `opens_at` to
    `closes_at`, local time of the location. A schedule with no times is open all day
    (a 24-hour line has byday = every day and no times)."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedules",
    )
    freq = models.CharField(_("repeats"), max_length=10, default="WEEKLY", blank=True)
    byday = models.CharField(_("days"), max_length=40, blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    attending_type = models.CharField(_("how to attend"), max_length=100, blank=True)

    class Meta:
        ordering = ["byday", "opens_at"]
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}-{self.closes_at}"

    @property
    def days(self) -> list[str]:
        return [day for day in self.byday.split(",") if day in WEEKDAYS]


class CostOption(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(_("what is paid for"), max_length=250, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    amount_description = models.CharField(_("amount, in words"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["option"]
        verbose_name = _("cost option")
        verbose_name_plural = _("cost options")

    def __str__(self) -> str:
        return self.option or self.amount_description


class RequiredDocument(BaseModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="required_documents"
    )
    document = models.CharField(_("document"), max_length=300)
    uri = models.URLField(_("web address"), max_length=500, blank=True)

    class Meta:
        ordering = ["document"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self) -> str:
        return self.document


class Contact(BaseModel):
    """A named contact person or desk at a service (staff, never a caller)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name or self.department or self.title


class ServiceArea(BaseModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    extent = models.TextField(_("extent"), blank=True)
    extent_type = models.CharField(_("extent type"), max_length=20, blank=True)
    uri = models.CharField(_("web address"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return self.name


class ReferralStatus(models.TextChoices):
    GIVEN = "given", _("Referral given")
    CONTACTED = "contacted", _("Service contacted")
    ACCEPTED = "accepted", _("Accepted by the service")
    RECEIVED = "received", _("Service received")
    DECLINED = "declined", _("Declined")
    NO_SHOW = "no_show", _("Did not come")
    UNREACHABLE = "unreachable", _("Unreachable")
    CLOSED = "closed", _("Closed")


OPEN_REFERRAL_STATUSES = (ReferralStatus.GIVEN, ReferralStatus.CONTACTED, ReferralStatus.ACCEPTED)
FAILED_REFERRAL_STATUSES = (
    ReferralStatus.DECLINED,
    ReferralStatus.NO_SHOW,
    ReferralStatus.UNREACHABLE,
)


class Referral(BaseModel):
    """A caller referred to a service during a consultation, followed up to an outcome.

    Holds nothing about the caller: `consent_to_share` only records whether the caller
    agreed that their details be passed to the service (if not, the caller was given the
    service's contacts and nothing was passed on).
    """

    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="referrals",
    )
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The service as it was given to the caller.
    service_name = models.CharField(_("service"), max_length=250)
    organization_name = models.CharField(_("organisation"), max_length=250, blank=True)
    phone = models.CharField(_("phone"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=400, blank=True)
    hours = models.CharField(_("hours"), max_length=400, blank=True)
    documents = models.TextField(_("what to bring"), blank=True)
    consent_to_share = models.BooleanField(
        _("caller agreed that their details be passed to the service"), default=False
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("followed up by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.GIVEN
    )
    status_changed_at = models.DateTimeField(_("status changed"))
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["follow_up_by", "status", "follow_up_on"], name="referral_mine"),
            models.Index(fields=["centre", "status", "follow_up_on"], name="referral_centre"),
            models.Index(fields=["service", "status"], name="referral_service"),
        ]

    def __str__(self) -> str:
        return self.service_name

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES


class ReferralStatusChange(models.Model):
    """One step of a referral's history: from which status to which, who and when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="changes")
    status_from = models.CharField(
        _("from"), max_length=12, choices=ReferralStatus.choices, blank=True
    )
    status = models.CharField(_("to"), max_length=12, choices=ReferralStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("referral status change")
        verbose_name_plural = _("referral status changes")

    def __str__(self) -> str:
        return f"{self.status_from} -> {self.status}"


# --- Search index ----------------------------------------------------------------------------
# Kept by `search/indexing.py` inside the transaction of every write to a service or to
# what its search text is made of; never written anywhere else. See docs/adr/0004.


class ServiceSearchDocument(models.Model):
    """A service as search sees it: one per service that may be offered (not archived,
    not inactive or closed for good).

    `keys_title` (names, organisation, categories in every language) and `keys_body`
    (description, eligibility, places) hold the analyser's keys, and `keys_name` those of
    the service's own names, which break ties in their favour; `facets` holds one marked
    key per filter value (city, category and its parents, language, citizenship, free,
    national), between spaces, and `hours` one for each hour of the week it is open in.
    The database indexes all four: an FTS5 table on SQLite,
    generated tsvector columns with GIN indexes on PostgreSQL (migration 0003).
    `sort_key` orders the results when nothing was typed; it is compared byte by byte on
    both databases (binary on SQLite, collation "C" on PostgreSQL).
    """

    # Not a database constraint: a deleted service's document stays until `services_reindex`
    # takes its keys out of the term counts (a search never shows a missing service).
    service = models.OneToOneField(
        Service, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    # In the order a row is read: what the name order tests first (the longest last).
    sort_key = models.CharField(max_length=250)
    is_national = models.BooleanField()
    facets = models.TextField()
    keys_title = models.TextField()
    keys_body = models.TextField()
    keys_name = models.TextField()  # of the service's own names (also in keys_title)
    hours = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["sort_key", "id"], name="directory_search_sort")]

    def __str__(self) -> str:
        return self.sort_key


class ServiceOpenInterval(models.Model):
    """When a service is open in a week: local minutes since Monday 00:00 in `zone` at the
    place (city key) of one of its locations ("" when it has none). Made from its
    schedules; an interval that would cross Sunday midnight is split in two."""

    document = models.ForeignKey(
        ServiceSearchDocument,
        on_delete=models.CASCADE,
        db_index=False,  # the index below starts with it
        related_name="open_intervals",
    )
    place = models.CharField(max_length=100, blank=True)
    zone = models.CharField(max_length=60)
    starts = models.PositiveSmallIntegerField()
    ends = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["document", "starts", "ends"], name="directory_open_interval")
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.starts}-{self.ends}"


class ServiceSearchTerm(models.Model):
    """How many search documents hold a key (anywhere, and in the title): the vocabulary
    for ranking, typos, the choice of retrieval and the list of cities. A facet key keeps
    the value it stands for as first written (a city's name)."""

    key = models.CharField(max_length=64, unique=True)
    documents = models.PositiveIntegerField(default=0)
    title_documents = models.PositiveIntegerField(default=0)
    label = models.CharField(max_length=250, blank=True)

    def __str__(self) -> str:
        return self.key


class ServiceSearchState(models.Model):
    """One row: a new random token whenever the directory's index changes, so that every
    process reloads its vocabulary."""

    token = models.CharField(max_length=32, default="")

    def __str__(self) -> str:
        return self.token
