"""The project's select template writes the options itself (templates/django/forms/widgets/
select.html, for speed): the HTML must stay exactly Django's."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from apps.core.forms import GovUKFormRenderer

CHOICES = [("", "Any"), ("a&b", "Oak <Academy>"), (3, "Three"),
           ("Group", [("g1", "In a group"), ("g2", "Also “quoted”")])]


class CustomOption(forms.Select):
    option_template_name = "django/forms/widgets/radio_option.html"


@pytest.mark.parametrize("widget,value", [
    (forms.Select(choices=CHOICES), "a&b"),
    (forms.Select(choices=CHOICES, attrs={"class": "govuk-select", "disabled": True}), "g2"),
    (forms.Select(choices=CHOICES), 3),
    (forms.Select(choices=CHOICES), None),
    (forms.SelectMultiple(choices=CHOICES), ["a&b", "g1"]),
    (forms.NullBooleanSelect(), True),
    (CustomOption(choices=CHOICES), "g1"),
])
def test_selects_render_exactly_as_djangos_own_templates(widget, value):
    ours = widget.render("field", value, attrs={"id": "id_field"},
                         renderer=GovUKFormRenderer())
    djangos = widget.render("field", value, attrs={"id": "id_field"},
                            renderer=DjangoTemplates())
    assert ours == djangos
    assert ours.count("<option") == (0 if isinstance(widget, CustomOption) else
                                     len(widget.choices) + 1 if widget.choices[-1][0] == "Group"
                                     else len(widget.choices))


def test_the_project_template_is_the_one_used():
    from django.template.loader import get_template

    origin = get_template("django/forms/widgets/select.html").origin.name
    assert origin.endswith("templates/django/forms/widgets/select.html")
    assert "site-packages" not in origin
