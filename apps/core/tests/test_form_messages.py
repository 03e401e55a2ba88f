"""Error messages in the GOV.UK pattern on every form: each names its field and says how to
put it right; none is Django's generic "This field is required."."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.template.loader import render_to_string

import apps
from apps.core.forms import plain_message

GENERIC = {"This field is required.", "Enter a valid date.", "Enter a valid time.",
           "Enter a whole number.", "Enter a number.", "Enter a valid email address.",
           "Select a valid choice. That choice is not one of the available choices.",
           "Enter a list of values.", "This field cannot be blank."}


def _project_forms():
    seen = []
    for info in pkgutil.walk_packages(apps.__path__, "apps."):
        if ".tests" in info.name or ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                seen.append(cls)
    return seen


@pytest.mark.django_db
def test_no_form_shows_a_generic_message():
    """Every form of the project that can be made without arguments, sent empty: each
    field's messages are ours, name the field and end without a full stop."""
    checked = 0
    for cls in _project_forms():
        try:
            form = cls(data={})
            form.is_valid()
        except (TypeError, KeyError, AttributeError):
            continue  # needs its page's context; the same machinery renders it
        for field in form:
            for message in field.errors:
                assert message not in GENERIC, f"{cls.__name__}.{field.name}: {message}"
                assert not message.endswith("."), f"{cls.__name__}.{field.name}: {message}"
                checked += 1
    assert checked > 80


class Sample(forms.Form):
    plain_names = {"joined_on": "the date the school joined"}
    title = forms.CharField(label="Title", max_length=5)
    joined_on = forms.DateField(label="Joined on")
    places = forms.IntegerField(label="Places", min_value=1, max_value=30)
    mode = forms.ChoiceField(label="How it runs", choices=[("a", "A")],
                             widget=forms.RadioSelect)
    email = forms.EmailField(label="Email address")
    story = forms.CharField(label="Describe the concern",
                            error_messages={"max_length": "Keep it short"}, max_length=3)
    can = forms.ChoiceField(label="Can you take part?", choices=[("y", "Yes")])


def _errors(**data):
    form = Sample(data=data)
    form.is_valid()
    return {f.name: list(f.errors) for f in form if f.errors}


def test_messages_name_the_field_and_say_how_to_put_it_right():
    assert _errors() == {
        "title": ["Enter the title"], "joined_on": ["Enter the date the school joined"],
        "places": ["Enter the places"], "mode": ["Select how it runs"],
        "email": ["Enter the email address"], "story": ["Describe the concern"],
        "can": ["Select an answer to “Can you take part?”"]}
    wrong = _errors(title="too long", joined_on="31/02/2027", places="0", mode="z",
                    email="nobody", story="long", can="n")
    assert wrong == {
        "title": ["Title must be 5 characters or fewer"],
        "joined_on": ["The date the school joined must be a real date, for example 27 3 2027"],
        "places": ["Places must be 1 or more"],
        "mode": ["Select how it runs from the choices given"],
        "email": ["Enter an email address in the correct format, like name@example.com"],
        "story": ["Keep it short"],  # the form's own wording is kept
        "can": ["Select an answer to “Can you take part?” from the choices given"]}
    assert _errors(places="31")["places"] == ["Places must be 30 or less"]


def test_the_error_summary_links_each_message_to_its_field():
    form = Sample(data={"title": "ok"})
    form.is_valid()
    html = render_to_string("forms/error_summary.html", {"form": form})
    assert '<a href="#id_joined_on">Enter the date the school joined</a>' in html
    assert '<a href="#id_mode_0">Select how it runs</a>' in html
    assert "This field is required" not in html


def test_a_message_added_by_the_form_is_kept():
    error = forms.ValidationError("The end must be after the start", code="invalid")
    assert plain_message(forms.TimeField(), "Ends", error) == "The end must be after the start"


@pytest.mark.django_db
def test_no_drop_down_offers_dashes():
    """Every form that can be made without arguments renders without "---------": the empty
    option of a drop-down says what to choose."""
    rendered = 0
    for cls in _project_forms():
        try:
            html = str(cls())
        except (TypeError, KeyError, AttributeError):
            continue
        assert "---------" not in html, cls.__name__
        rendered += 1
    assert rendered > 40

    class Pick(forms.Form):
        plain_names = {"colour": "the colour of the badge"}
        colour = forms.ChoiceField(choices=[("", "---------"), ("r", "Red")])
        size = forms.ChoiceField(label="Size", required=False,
                                 choices=[("", "---------"), ("s", "Small")])
    html = str(Pick())
    assert ">Select the colour of the badge</option>" in html
    assert ">Not chosen</option>" in html


def test_a_date_picker_gets_no_typed_example():
    """A browser's date picker has its own format: the message asks for a real date without
    "for example 27 3 2027", which only helps someone typing the date."""
    from django.utils import translation

    class Picker(forms.DateInput):
        input_type = "date"

    class Form(forms.Form):
        day = forms.DateField(label="Date data is shared", widget=Picker)
        typed = forms.DateField(label="Date the school joined")

    def errors(**data):
        form = Form(data=data)
        form.is_valid()
        return {f.name: list(f.errors) for f in form if f.errors}

    assert errors(day="31/02/2027", typed="31/02/2027") == {
        "day": ["Date data is shared must be a real date"],
        "typed": ["Date the school joined must be a real date, for example 27 3 2027"]}
    with translation.override("cy"):
        welsh = errors(day="31/02/2027")["day"][0]
    assert "dyddiad go iawn" in welsh and "er enghraifft" not in welsh
