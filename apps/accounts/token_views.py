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

# Every token expires: at most a year after it is made (api_tokens.MAX_LIFETIME).
EXPIRY_CHOICES = [("30", "30 days"), ("90", "90 days"), ("180", "6 months"),
                  ("365", "1 year")]


class TokenForm(forms.Form):
    name = forms.CharField(label="What is the token for?", max_length=100,
                           help_text="For example, the name of the system that will use it",
                           error_messages={"required": "Say what the token is for"})
    expires = forms.ChoiceField(label="Expires after", choices=EXPIRY_CHOICES, initial="90",
                                widget=forms.RadioSelect,
                                error_messages={"required": "Choose when the token expires",
                                                "invalid_choice": "Choose when the token "
                                                                  "expires"})
    access = forms.ChoiceField(
        label="What can it do?", choices=[
            (ApiToken.Access.READ, "Read only: it can look things up but change nothing"),
            (ApiToken.Access.WRITE, "Read and change: it can also add and change things")],
        initial=ApiToken.Access.READ, widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the token can change things",
                        "invalid_choice": "Choose whether the token can change things"})
    areas = forms.MultipleChoiceField(
        label="Which parts of the platform can it use?", choices=api_tokens.AREAS,
        widget=forms.CheckboxSelectMultiple, help_text="Choose only what the system needs",
        error_messages={"required": "Choose at least one area the token can use",
                        "invalid_choice": "Choose at least one area the token can use"})

    def clean_name(self):
        name = self.cleaned_data["name"].replace("\x00", "").strip()
        if not name:
            raise ValidationError("Say what the token is for")
        return name

    def expires_at(self):
        return timezone.now() + timedelta(days=int(self.cleaned_data["expires"]))


@never_cache
def tokens(request):
    form = TokenForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = api_tokens.create_token(
                request.user, form.cleaned_data["name"], by=request.user,
                expires_at=form.expires_at(), access=form.cleaned_data["access"],
                areas=form.cleaned_data["areas"])
        except ValidationError as e:
            for m in e.messages:
                form.add_error(None, m)
        else:
            form = TokenForm()
    return render(request, "accounts/tokens.html", {
        "form": form, "created": created, "secret": secret,
        "tokens": request.user.api_tokens.all(), "area_names": dict(api_tokens.AREAS)})


@require_POST
def revoke_token(request, pk):
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404("No such token")
    api_tokens.revoke_token(token, by=request.user)
    messages.success(request, f"Token “{token.name}” revoked: it can no longer be used.")
    return redirect("accounts:tokens")
