"""Two-factor sign-in (django-otp): a code from an authenticator app (TOTP) or a recovery code.

Who must give one is decided by `required_for`: with TWO_FACTOR="roles" (the default) every role that
reads people's identities or grants access, with "all" everyone. Such a user, once signed in with
the password, reaches nothing but these pages until the second factor is given
(`second_factor_middleware`), so the rule holds on every path: workbench, portal pages, files.
"""

from base64 import b32encode
from functools import wraps

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import roles

RECOVERY_CODES = 10


def required_for(user):
    if not user.is_authenticated or not settings.TWO_FACTOR:
        return False
    return settings.TWO_FACTOR == "all" or user.is_superuser or roles.reads_identities_or_grants(user)


def exempt(path):
    """The pages an unverified user may still open: these, signing out, the language, static files."""
    return path.startswith((settings.STATIC_URL, "/i18n/", reverse("admin:logout"), reverse("second_factor:verify")))


def second_factor_middleware(get_response):
    def middleware(request):
        if required_for(request.user) and not request.user.is_verified() and not exempt(request.path):
            return redirect(f"{reverse('second_factor:verify')}?{urlencode({'next': request.get_full_path()})}")
        return get_response(request)

    return middleware


def next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("start")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    def __init__(self, *args, user, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.check = user, check

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        self.device = self.check(self.user, code)
        if self.device is None:
            raise forms.ValidationError(_("This code is not right, or has been used already. Try again."))
        return code


def unverified(view):
    """For a signed-in user who still has to give the second factor."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_verified():
            return redirect(next_url(request))
        return view(request, *args, **kwargs)

    return login_required(wrapped)


@unverified
def verify(request):
    if not user_has_device(request.user):
        return setup(request)
    form = CodeForm(request.POST or None, user=request.user, check=match_token)
    if form.is_valid():
        otp_login(request, form.device)
        return redirect(next_url(request))
    return render(request, "registration/second_factor_verify.html", {"form": form, "next": next_url(request)})


def setup(request):
    """Pair an authenticator app: its key as a QR code and as text, confirmed by its first code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
        user=request.user, name=str(_("Authenticator app")), confirmed=False
    )

    def check(user, code):
        return device if device.verify_token(code) else None

    form = CodeForm(
        request.POST if request.method == "POST" and "code" in request.POST else None, user=None, check=check
    )
    if form.is_valid():
        with transaction.atomic():
            device.confirmed = True
            device.save()
            codes = new_recovery_codes(request.user)
        otp_login(request, device)
        return render(request, "registration/recovery_codes.html", {"codes": codes, "next": next_url(request)})
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    key = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": image.to_string(encoding="unicode"),
        "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        "next": next_url(request),
    }
    return render(request, "registration/second_factor_setup.html", context)


def new_recovery_codes(user):
    """Replace the user's recovery codes with new ones, each good once; returns them to be shown once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": str(_("Recovery codes")), "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@require_POST
@login_required
def recovery_codes(request):
    if not request.user.is_verified():
        return redirect(reverse("second_factor:verify"))
    codes = new_recovery_codes(request.user)
    return render(request, "registration/recovery_codes.html", {"codes": codes, "next": next_url(request)})


def reset(user):
    """Forget the user's authenticator app and recovery codes (a lost phone): they pair anew."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
