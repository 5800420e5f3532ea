from django.contrib import admin
from django.urls import include, path

from helpline.consultations import views as consultation_views

urlpatterns = [
    path("", consultation_views.home, name="home"),
    path("accounts/", include("helpline.accounts.urls")),
    path("consultations/", include("helpline.consultations.urls")),
    path("knowledge/intake/", include("helpline.knowledge.urls_intake")),
    path("knowledge/", include("helpline.knowledge.urls")),
    path("directory/", include("helpline.directory.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
