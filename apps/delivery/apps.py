from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """Delivery partners: skilled reviewers an associate nominates, with evidence from the
    platform, and the core team approves with dates; attached to partnerships for a scope
    until an end date. The records themselves are ``apps.partnerships.models.DeliveryPartner``
    and ``DeliveryAttachment``, as the rules of the apps below this one read what an
    attachment gives."""

    name = "apps.delivery"
    label = "delivery"
    verbose_name = "Delivery partners"
