"""The demo holds one delivery partner attached to a partnership and one nomination waiting,
made through the services on their days."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.impact.fidelity import current_start_year, fidelity
from apps.notifications.models import Notification
from apps.partnerships.models import DeliveryAttachment, DeliveryPartner

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_delivery_partner_and_a_nomination_waiting():
    call_command("load_frameworks", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    current = DeliveryPartner.objects.current().get()
    assert current.person.email.startswith("reviewer.larkspur@")
    att = DeliveryAttachment.objects.current().get()
    assert att.delivery_partner == current and att.partnership.name.startswith("Northvale")
    waiting = DeliveryPartner.objects.get(status=DeliveryPartner.State.NOMINATED)
    assert waiting.person.email.startswith("lead.estuary@")
    assert Notification.objects.filter(user=waiting.person, kind="delivery.nominated").exists()
    indicators = {i.key: i.value for i in fidelity(att.partnership,
                                                   current_start_year())["indicators"]}
    assert indicators["delivery_partner_activity"] == att.activities.count()
    call_command("load_demo", stdout=StringIO())
    assert DeliveryPartner.objects.count() == 2
