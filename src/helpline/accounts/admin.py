from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Centre, User


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "organisation", "phone", "is_active")
    search_fields = ("name", "city", "organisation")
    filter_horizontal = ("languages",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "centre", "is_active")
    list_filter = ("role", "centre", "is_active")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Work"), {"fields": ("role", "centre")}),
    )
