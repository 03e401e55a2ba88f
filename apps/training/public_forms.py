"""Forms for people registering for open events without an account."""

from django import forms
from django.utils.translation import gettext_lazy as _

CONSENT = _("I agree to the programme keeping my name, email address and school name to "
             "send me this event's joining details and reminders")
CONSENT_HINT = _("They are deleted 12 months after the event. You can unsubscribe at any "
                  "time with the link in every email we send.")
HONEYPOT = "website"


class RegistrationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150,
        error_messages={"required": _("Enter your full name"),
                        "max_length": _("Full name must be 150 characters or fewer")},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}))
    email = forms.EmailField(
        label=_("Email address"), max_length=254,
        help_text=_("We will email you a link to confirm your place"),
        error_messages={"required": _("Enter your email address"),
                        "invalid": _("Enter an email address in the correct format, like "
                                     "name@example.com"),
                        "max_length": _("Email address must be 254 characters or fewer")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}))
    school_name = forms.CharField(
        label=_("School name"), max_length=200,
        error_messages={"required": _("Enter the name of your school"),
                        "max_length": _("School name must be 200 characters or fewer")},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    consent = forms.BooleanField(
        label=CONSENT, help_text=CONSENT_HINT,
        error_messages={"required": _("Agree to us keeping your details, or we cannot "
                                      "register you")})
    # The spam trap: hidden from people (and from screen readers and the keyboard) by the
    # template; bots that fill every field fill it in.
    website = forms.CharField(label=_("Leave this empty"), required=False)


class UnsubscribeForm(forms.Form):
    cancel_places = forms.BooleanField(
        label=_("Also cancel my places"), required=False,
        help_text=_("Your place goes to the next person on the waiting list"))
