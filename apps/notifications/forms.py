from django import forms

from .models import NotificationPreference


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label="How do you want to get emails about updates?",
        choices=NotificationPreference.Delivery.choices, widget=forms.RadioSelect,
        help_text="Every update also appears on your notifications page.",
        error_messages={"required": "Choose how you want to get emails"})
