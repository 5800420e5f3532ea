from django.contrib import admin

from .models import Language


class ReferenceItemAdmin(admin.ModelAdmin):
    """Admin for any reference list: codes are fixed once created, labels are editable."""

    list_display = ("code", "name_ru", "name_en", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name_ru", "name_en", "name_uz", "name_tg", "name_ky")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: recorded contacts keep pointing at their codes.
        return False


admin.site.register(Language, ReferenceItemAdmin)
