from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from lapor.api.api import api
from lapor.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("lapor.web.urls")),
]
