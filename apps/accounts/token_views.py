"""The "API tokens" page: make a personal token for an integration (its secret is shown
once) and revoke tokens no longer needed."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import api_tokens
from .models import ApiToken

EXPIRY_CHOICES = [("30", "30 days"), ("90", "90 days"), ("365", "1 year"),
                  ("never", "No expiry date")]


class TokenForm(forms.Form):
    name = forms.CharField(label="What is the token for?", max_length=100,
                           help_text="For example, the name of the system that will use it",
                           error_messages={"required": "Say what the token is for"})
    expires = forms.ChoiceField(label="Expires after", choices=EXPIRY_CHOICES, initial="90",
                                widget=forms.RadioSelect,
                                error_messages={"required": "Choose when the token expires"})

    def clean_name(self):
        name = self.cleaned_data["name"].replace("\x00", "").strip()
        if not name:
            raise ValidationError("Say what the token is for")
        return name

    def expires_at(self):
        value = self.cleaned_data["expires"]
        return None if value == "never" else timezone.now() + timedelta(days=int(value))


@never_cache
def tokens(request):
    form = TokenForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = api_tokens.create_token(
                request.user, form.cleaned_data["name"], by=request.user,
                expires_at=form.expires_at())
        except ValidationError as e:
            for m in e.messages:
                form.add_error(None, m)
        else:
            form = TokenForm()
    return render(request, "accounts/tokens.html", {
        "form": form, "created": created, "secret": secret,
        "tokens": request.user.api_tokens.all()})


@require_POST
def revoke_token(request, pk):
    token = ApiToken.objects.filter(pk=pk, user=request.user).first() \
        if 0 < pk < 2**31 else None
    if token is None:
        raise Http404("No such token")
    api_tokens.revoke_token(token, by=request.user)
    messages.success(request, f"Token “{token.name}” revoked: it can no longer be used.")
    return redirect("accounts:tokens")
