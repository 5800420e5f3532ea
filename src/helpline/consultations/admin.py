from django.contrib import admin

from helpline.common.admin import ReferenceItemAdmin

from .models import (
    AgeBand,
    CallerRole,
    Channel,
    Education,
    EmploymentStatus,
    LegalStatus,
    NonDataType,
    Region,
    Topic,
)

for model in (
    AgeBand,
    CallerRole,
    Channel,
    Education,
    EmploymentStatus,
    LegalStatus,
    NonDataType,
    Region,
):
    admin.site.register(model, ReferenceItemAdmin)


@admin.register(Topic)
class TopicAdmin(ReferenceItemAdmin):
    list_display = ("code", "parent", "name_ru", "name_en", "position", "is_active")
    list_filter = ("is_active", "parent")
