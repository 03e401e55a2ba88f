from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NotificationPreference


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("How do you want to get emails about updates?"),
        choices=NotificationPreference.Delivery.choices, widget=forms.RadioSelect,
        help_text=_("Every update also appears on your notifications page."),
        error_messages={"required": _("Choose how you want to get emails")})
