from typing import Any

from allauth.account import forms as account_forms
from allauth.account.forms import LoginForm
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from . import display, language


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"), strip=False,
        help_text=_("At least 10 characters. A few unrelated words make a strong password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Type the password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The passwords do not match"))
        elif p1:
            from .models import User

            try:
                validate_password(p1, User(email=self.email, full_name=data.get("full_name", "")))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class SignInForm(LoginForm):
    """allauth's sign-in form in our words: sentence case, and what "remember" means."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Email address")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].label = _("Password")
        self.fields["password"].widget.attrs.pop("placeholder", None)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")
            self.fields["remember"].help_text = _("Leave this unticked on a shared computer")


class _PlainLabels:
    """allauth's forms with our labels: sentence case, no placeholders standing in for labels."""

    labels: dict[str, Any] = {}
    hints: dict[str, Any] = {}
    # A field's own message when it is left empty, where the label does not make a sentence.
    required_messages: dict[str, Any] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        fields = self.fields  # type: ignore[attr-defined]
        for name, label in self.labels.items():
            if name in fields:
                fields[name].label = label
                fields[name].widget.attrs.pop("placeholder", None)
        for name, hint in self.hints.items():
            if name in fields:
                fields[name].help_text = hint
        for name, message in self.required_messages.items():
            if name in fields:
                fields[name].error_messages = {**fields[name].error_messages,
                                               "required": message}


NEW_PASSWORD = {"password1": _("New password"), "password2": _("Type the new password again")}
NEW_PASSWORD_REQUIRED = {"password2": _("Enter your new password again")}
NEW_PASSWORD_HINT = {"password1": _("At least 10 characters. A few unrelated words make a "
                                    "strong password.")}
AUTHENTICATOR_CODE = {"code": _("Code from your authenticator app")}
AUTHENTICATOR_HINT = {"code": _("The 6-digit code the app shows now, for example 123456")}


class ResetPasswordForm(_PlainLabels, account_forms.ResetPasswordForm):
    labels = {"email": _("Email address")}
    hints = {"email": _("The address you sign in with")}


class ResetPasswordKeyForm(_PlainLabels, account_forms.ResetPasswordKeyForm):
    labels, hints = NEW_PASSWORD, NEW_PASSWORD_HINT
    required_messages = NEW_PASSWORD_REQUIRED


class ChangePasswordForm(_PlainLabels, account_forms.ChangePasswordForm):
    labels, hints = {"oldpassword": _("Current password"), **NEW_PASSWORD}, NEW_PASSWORD_HINT
    required_messages = NEW_PASSWORD_REQUIRED


class SetPasswordForm(_PlainLabels, account_forms.SetPasswordForm):
    labels, hints = NEW_PASSWORD, NEW_PASSWORD_HINT
    required_messages = NEW_PASSWORD_REQUIRED


class ReauthenticateForm(_PlainLabels, account_forms.ReauthenticateForm):
    labels = {"password": _("Password")}


class AuthenticateForm(_PlainLabels, mfa_forms.AuthenticateForm):
    labels, hints = AUTHENTICATOR_CODE, {
        "code": _("The 6-digit code your authenticator app shows now, or one of your "
                  "recovery codes")}


class MFAReauthenticateForm(_PlainLabels, mfa_forms.ReauthenticateForm):
    labels, hints = AUTHENTICATOR_CODE, AUTHENTICATOR_HINT


class ActivateTOTPForm(_PlainLabels, totp_forms.ActivateTOTPForm):
    labels, hints = AUTHENTICATOR_CODE, AUTHENTICATOR_HINT


class DisplayForm(forms.Form):
    """Display settings (apps/accounts/display.py)."""

    text_size = forms.TypedChoiceField(
        label="Text size", coerce=int, choices=display.TEXT_SIZES, widget=forms.RadioSelect,
        help_text="Larger text makes lines wrap sooner; nothing is hidden.",
        error_messages={"required": "Choose a text size",
                        "invalid_choice": "Choose a text size from the list"})
    colours = forms.ChoiceField(
        label="Colours", choices=display.COLOURS, widget=forms.RadioSelect,
        error_messages={"required": "Choose the colours",
                        "invalid_choice": "Choose the colours from the list"})
    spacing = forms.ChoiceField(
        label="Spacing of text", choices=display.SPACINGS, widget=forms.RadioSelect,
        error_messages={"required": "Choose the spacing of text",
                        "invalid_choice": "Choose the spacing of text from the list"})

    def display(self) -> display.Display:
        data = self.cleaned_data
        return display.Display(text_size=data["text_size"], colours=data["colours"],
                               spacing=data["spacing"])


class LanguageForm(forms.Form):
    """The language of the pages (apps/accounts/language.py)."""

    language = forms.ChoiceField(
        label=_("Language"), choices=language.CHOICES, widget=forms.RadioSelect,
        error_messages={"required": _("Choose a language"),
                        "invalid_choice": _("Choose English or Cymraeg")})
