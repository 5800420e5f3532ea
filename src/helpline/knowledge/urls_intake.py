"""Knowledge panels inside the intake form."""

from django.urls import path

from . import suggestions

app_name = "knowledge_intake"

urlpatterns = [
    path("suggestions/", suggestions.intake_suggestions, name="suggestions"),
    path("answer/<slug:slug>/", suggestions.intake_answer, name="answer"),
]
