from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.consultation_create, name="create"),
    path("non-data/", views.consultation_non_data, name="non_data"),
    path("caller-history/", views.caller_history, name="caller_history"),
    path("<uuid:pk>/", views.consultation_detail, name="detail"),
    path("<uuid:pk>/edit/", views.consultation_edit, name="edit"),
    path("<uuid:pk>/follow-up-done/", views.consultation_follow_up_done, name="follow_up_done"),
]
