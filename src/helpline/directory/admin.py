"""The directory in the admin site: for administrators to look things up.

Entries are written on the directory's own screens (the services check them, keep the
search index current and record who changed what); here they are shown read-only, with a
link to their page. Service categories are a reference list: their labels, order and
active flag are edited here, their codes never change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from helpline.common.admin import ReferenceItemAdmin

from .models import (
    Address,
    Location,
    Organization,
    Phone,
    Referral,
    ReferralStatusChange,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCategory,
)
from .search.indexing import services_reindex


class ViewOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ReferenceItemAdmin):
    list_display = ("code", "name_ru", "name_en", "parent", "position", "is_active")
    list_filter = ("is_active", "parent")
    list_select_related = ("parent",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            # The labels are in the search text of the category's services.
            services_reindex(service_ids=list(obj.services.values_list("pk", flat=True)))


class PhoneInline(ViewOnlyMixin, admin.TabularInline):
    model = Phone
    fields = ("number", "extension", "type", "description", "position")
    readonly_fields = fields
    extra = 0


class ScheduleInline(ViewOnlyMixin, admin.TabularInline):
    model = Schedule
    fields = ("byday", "opens_at", "closes_at", "description")
    readonly_fields = fields
    extra = 0


class ServiceAtLocationInline(ViewOnlyMixin, admin.TabularInline):
    model = ServiceAtLocation
    fields = ("location", "description")
    readonly_fields = fields
    extra = 0


class AddressInline(ViewOnlyMixin, admin.TabularInline):
    model = Address
    fields = ("address_type", "address_1", "address_2", "city", "state_province", "postal_code")
    readonly_fields = fields
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "website", "is_demo", "updated_at")
    list_filter = ("is_demo",)
    search_fields = ("name", "alternate_name")


@admin.register(Service)
class ServiceAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "organization", "status", "verified_on", "archived_at", "is_demo")
    list_filter = ("status", "is_demo", "categories", "cost", "is_national")
    search_fields = ("name", "alternate_name", "organization__name")
    list_select_related = ("organization",)
    date_hierarchy = "verified_on"
    exclude = ("categories", "languages")
    readonly_fields = ("category_list", "language_list")
    inlines = [ServiceAtLocationInline, PhoneInline, ScheduleInline]

    @admin.display(description=ServiceCategory._meta.verbose_name_plural)
    def category_list(self, obj: Service) -> str:
        return ", ".join(category.label for category in obj.categories.all())

    @admin.display(description=Service._meta.get_field("languages").verbose_name)
    def language_list(self, obj: Service) -> str:
        return ", ".join(language.label for language in obj.languages.all())

    def view_on_site(self, obj: Service) -> str:
        return reverse("directory:service", args=[obj.pk])


@admin.register(Location)
class LocationAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("__str__", "organization", "location_type", "timezone")
    list_filter = ("location_type",)
    search_fields = ("name", "organization__name", "addresses__city", "addresses__address_1")
    list_select_related = ("organization",)
    inlines = [AddressInline, PhoneInline, ScheduleInline]


class ReferralStatusChangeInline(ViewOnlyMixin, admin.TabularInline):
    model = ReferralStatusChange
    fields = ("changed_at", "status_from", "status", "changed_by")
    readonly_fields = fields
    extra = 0


@admin.register(Referral)
class ReferralAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("service_name", "centre", "status", "follow_up_on", "created_at")
    list_filter = ("status", "centre", "category")
    search_fields = ("service_name", "organization_name")
    list_select_related = ("centre",)
    date_hierarchy = "created_at"
    inlines = [ReferralStatusChangeInline]
