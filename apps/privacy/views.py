"""Your data (a copy of everything held about you) and erasing a person (core team)."""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from apps.accounts.models import User
from apps.core.downloads import private_download
from apps.core.pdf import render_pdf

from . import services


@require_GET
def my_data(request):
    return render(request, "privacy/my_data.html", {
        "retention_years": settings.EVIDENCE_NOTE_RETENTION_YEARS})


@require_GET
def my_data_json(request):
    data = {"about": f"Everything {settings.PLATFORM_NAME} holds about you, as at "
                     f"{timezone.localtime().isoformat(timespec='seconds')}",
            **services.personal_data(request.user)}
    return private_download(json.dumps(data, indent=2, ensure_ascii=False),
                            "application/json; charset=utf-8", "your-data.json")


@require_GET
def my_data_pdf(request):
    pdf = render_pdf("privacy/my_data_pdf.html", {
        "sections": _readable(services.personal_data(request.user)), "person": request.user,
        "now": timezone.localtime(), "platform_name": settings.PLATFORM_NAME})
    return private_download(pdf, "application/pdf", "your-data.pdf")


def _text(value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _readable(data: dict) -> list:
    """(heading, [[(label, text), …] per item]) for the PDF."""
    sections = []
    for key, value in data.items():
        items = [value] if isinstance(value, dict) else (value or [])
        sections.append((key.replace("_", " ").capitalize(), [
            [(k.replace("_", " ").capitalize(), _text(v)) for k, v in item.items()]
            for item in items]))
    return sections


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked this is the right person and that they asked to be erased "
                "(or there is another lawful reason)"),
        error_messages={"required": _("Tick the box to confirm you want to erase this "
                                      "person")})


def erase(request, pk):
    if not request.user.has_perm("privacy.erase_person"):
        raise PermissionDenied
    person = get_object_or_404(User, pk=pk)
    if person.pk == request.user.pk:
        raise PermissionDenied("You cannot erase yourself here")
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.erase_person(person, by=request.user)
        messages.success(request, gettext("The person has been erased: they are now shown as "
                                          "“%(former)s”.") % {"former": services.FORMER})
        return redirect("people:people")
    return render(request, "privacy/erase.html", {
        "person": person, "form": form, "effects": services.erasure_effects(person)})
