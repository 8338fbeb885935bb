from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from accessibility.views import statement as accessibility_statement

# No route serves MEDIA_ROOT, in any mode: reports are downloaded through
# permission-checked views, and uploaded imports never leave the server.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("oidc/", include("accounts.oidc_urls")),  # single sign-on; 404 while off
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("stratml.urls")),  # before strategy.urls: "strategies/import/…" is not a slug
    # The accessibility statement has a short address of its own, before the strategies.
    path("accessibility/", accessibility_statement, name="accessibility"),
    path("", include("strategy.urls")),
    path("", include("indicators.urls")),
    path("", include("maturity.urls")),
    path("", include("reports.urls")),
    path("", include("translations.urls")),
    path("", include("search.urls")),
    path("public/search/", include("search.public_urls")),  # before the public pages' include
    path("public/", include("public.urls")),  # the public pages for residents, no sign-in
    path("api/", include("api.urls")),
    path("", include("api.urls_profile")),
    path("", include("accessibility.urls")),
]
