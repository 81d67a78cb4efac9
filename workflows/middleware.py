"""Send a logged-out visitor to the login page instead of showing a 403.

Public pages (login and password reset, language switch, health, static files, the API with its own
authentication, and everything for residents under ``/publik/``) are listed in ``PUBLIC_PREFIXES``;
everything else needs a login. The admin keeps its own login page.
"""
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/accounts/password_reset/",
    "/accounts/reset/",
    "/i18n/",
    "/healthz",
    "/static/",
    "/api/",
    "/publik/",
    "/favicon.ico",
)


class LoginRequiredRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            if request.path.startswith("/admin/"):
                return self.get_response(request)
            return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
        return self.get_response(request)
