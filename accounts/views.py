"""Login and logout; ``next=`` is followed only to paths on this site."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from accounts.audit import record_event
from kb.lib.net import client_ip


def safe_next(request: HttpRequest, default: str = "/") -> str:
    """Only a path on this site: no scheme, no other host, no protocol-relative or backslash tricks."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(ord(c) < 32 for c in target)
        and url_has_allowed_host_and_scheme(target, allowed_hosts=set(), require_https=False)
    ):
        return target
    return default


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request, reverse("home")))
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            login(request, user)
            record_event("login_ok", actor=user, ip=client_ip(request))
            return HttpResponseRedirect(safe_next(request, reverse("home")))
        record_event(
            "login_failed", target=str(request.POST.get("username", ""))[:150], ip=client_ip(request)
        )
    return render(request, "accounts/login.html", {"form": form, "next": safe_next(request, "")}, status=200)


@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        logout(request)
        return redirect("accounts:login")
    return render(request, "accounts/logout.html")
