"""GOV.UK Design System rendering for every Django form (ours and allauth's).

``{{ form }}`` and ``{{ field.as_field_group }}`` render the accessible components: label,
hint, error message, fieldset and legend for grouped inputs. Pages put the error summary
at the top with ``{% include "forms/error_summary.html" %}``.

Error messages follow the GOV.UK pattern: they name the field and say how to put it right
("Enter the start time", "Title must be 300 characters or fewer"), never Django's generic
"This field is required." A form's own message for a field is kept; only Django's generic
ones are rewritten, from the field's label and kind, as every form's fields are shown
(``GovUKBoundField``), so allauth's forms get them too. Where a label does not read as a
noun ("Joined on", "Where"), the form names the field in ``plain_names``:
``plain_names = {"joined_on": "the date the school joined"}`` gives "Enter the date the
school joined" and "The date the school joined must be a real date".
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorList
from django.utils import translation

CHOOSING = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple,
            forms.SelectMultiple, forms.NullBooleanSelect)
# Labels that read well after "Enter" as they are ("Enter your email address").
# Labels that are already an instruction ("Describe the concern") are the message.
INSTRUCTIONS = ("describe ", "say ", "give ", "list ", "tell ", "explain ", "choose ",
                "select ", "enter ", "add ", "pick ", "upload ", "write ", "type ")
OWN_ARTICLE = ("the ", "a ", "an ", "your ", "my ", "their ", "its ", "his ", "her ", "who ",
               "what", "how ", "when ", "where ", "why ", "which ", "any ", "some ", "one ")


def _lower(label: str) -> str:
    """The label inside a sentence: first letter lower case unless it starts an acronym."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _the(label: str) -> str:
    text = _lower(re.sub(r"\s*\([^)]*\)$", "", label))
    return text if text.lower().startswith(OWN_ARTICLE) else f"the {text}"


def _generic(field: forms.Field, code: str) -> set[str]:
    """Django's own messages for ``code`` on this kind of field (any class in its line)."""
    found = {str(m) for klass in type(field).__mro__
             for m in [getattr(klass, "default_error_messages", {}).get(code)] if m}
    found |= {str(v.message) for v in field.validators
              if getattr(v, "code", None) == code and hasattr(v, "message")}
    if code == "required":
        found |= {"This field is required.", "This field cannot be blank."}
    return found


class _Name:
    """How a message names the field: ``the`` inside a sentence, ``cap`` to start one."""

    def __init__(self, label: str, noun: str | None):
        self.label = label
        # A form's own name for the field wins over reading its label.
        self.question = label.endswith("?") and not noun
        self.instruction = label.lower().startswith(INSTRUCTIONS) and not noun
        self.the = noun or _the(label.rstrip(" :?"))
        self.cap = self.the[:1].upper() + self.the[1:] if noun else label.rstrip(" :?")


def _required(field: forms.Field, name: _Name) -> str:
    widget = field.widget
    if name.instruction:
        return name.label.rstrip(" :.")
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return f"Select {name.the} to upload"
    if isinstance(widget, forms.CheckboxInput):
        return f"Tick the box for “{name.label}” to go on"
    if name.question:
        return f"Select an answer to “{name.label}”" if isinstance(widget, CHOOSING) else \
            f"Enter your answer to “{name.label}”"
    if isinstance(widget, CHOOSING):
        return f"Select {name.the}"
    return f"Enter {name.the}"


def _is_date_picker(field: forms.Field) -> bool:
    return getattr(field.widget, "input_type", "") in ("date", "datetime-local")


def _invalid(field: forms.Field, name: _Name) -> str:
    if isinstance(field, forms.DateTimeField):
        return f"{name.cap} must be a real date and time"
    if isinstance(field, forms.DateField):
        # A browser's date picker needs no example of the format; typed dates do.
        if _is_date_picker(field):
            return f"{name.cap} must be a real date"
        return f"{name.cap} must be a real date, for example 27 3 2027"
    if isinstance(field, forms.TimeField):
        return f"Enter {name.the} as hours and minutes, for example 15:30"
    if isinstance(field, forms.EmailField):
        return "Enter an email address in the correct format, like name@example.com"
    if isinstance(field, forms.URLField):
        return f"Enter {name.the} as a web address, like https://www.example.com"
    if isinstance(field, forms.IntegerField):
        return f"{name.cap} must be a whole number"
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return f"{name.cap} must be a number"
    return f"Enter {name.the} in the form asked for"


def _welsh(field: forms.Field, code: str, label: str, limit: Any) -> str | None:
    """In Welsh: the field named by its (Welsh) label in quotation marks, so no English
    article or mutation is needed ("Mae angen ateb ar gyfer ‘Cyfrinair presennol’")."""
    name = f"‘{label.rstrip(' :?')}’"
    choosing = isinstance(field.widget, CHOOSING)
    if code in ("required", "blank"):
        if isinstance(field.widget, forms.ClearableFileInput | forms.FileInput):
            return f"Dewiswch ffeil i'w llwytho ar gyfer {name}"
        if isinstance(field.widget, forms.CheckboxInput):
            return f"Ticiwch y blwch {name} i fynd ymlaen"
        return f"Dewiswch ateb ar gyfer {name}" if choosing else f"Mae angen ateb ar gyfer {name}"
    if code in ("invalid_choice", "invalid_pk_value", "invalid_list"):
        return f"Dewiswch ateb ar gyfer {name} o'r dewisiadau a roddir"
    if code in ("invalid", "invalid_date", "invalid_time"):
        if isinstance(field, forms.DateField | forms.DateTimeField):
            if _is_date_picker(field):
                return f"Rhaid i {name} fod yn ddyddiad go iawn"
            return f"Rhaid i {name} fod yn ddyddiad go iawn, er enghraifft 27 3 2027"
        if isinstance(field, forms.EmailField):
            return ("Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com")
        if isinstance(field, forms.IntegerField):
            return f"Rhaid i {name} fod yn rhif cyfan"
        return f"Rhowch ateb ar gyfer {name} yn y ffurf a ofynnir"
    limits = {"max_length": "{name} fod yn {limit} nod neu lai",
              "min_length": "{name} fod yn {limit} nod neu fwy",
              "max_value": "{name} fod yn {limit} neu lai",
              "min_value": "{name} fod yn {limit} neu fwy"}
    return "Rhaid i " + limits[code].format(name=name, limit=limit) if code in limits else None


def plain_message(field: forms.Field, label: str, error: ValidationError,
                  noun: str | None = None) -> str:
    """The GOV.UK message for one of the field's errors: the form's own wording when it gave
    one, otherwise a message naming the field (``noun``, or its label) by its kind."""
    message = error.message % error.params if error.params else error.message
    code = error.code or ""
    if str(error.message) not in _generic(field, code):
        return str(message)
    limit = (error.params or {}).get("limit_value")
    if translation.get_language() == "cy":
        welsh = _welsh(field, code, str(label or "Yr ateb hwn"), limit)
        if welsh:
            return welsh
    name = _Name(label or "This answer", noun)
    choose = (f"Select an answer to “{name.label}” from the choices given" if name.question
              else f"Select {name.the} from the choices given")
    by_code: dict[str, Any] = {
        "required": lambda: _required(field, name),
        "blank": lambda: _required(field, name),
        "invalid": lambda: _invalid(field, name),
        "invalid_date": lambda: _invalid(field, name),
        "invalid_time": lambda: _invalid(field, name),
        "max_length": lambda: f"{name.cap} must be {limit} characters or fewer",
        "min_length": lambda: f"{name.cap} must be {limit} characters or more",
        "max_value": lambda: f"{name.cap} must be {limit} or less",
        "min_value": lambda: f"{name.cap} must be {limit} or more",
        "invalid_choice": lambda: choose,
        "invalid_pk_value": lambda: choose,
        "invalid_list": lambda: choose,
        "max_digits": lambda: f"{name.cap} has too many digits",
        "max_decimal_places": lambda: f"{name.cap} has too many decimal places",
        "max_whole_digits": lambda: f"{name.cap} is too large",
        "empty": lambda: "The selected file is empty",
        "missing": lambda: "Select a file to upload",
    }
    make = by_code.get(code)
    return make() if make else str(message)


DASHES = "---------"


def add_service_errors(form: forms.BaseForm, error: ValidationError,
                       field: str | None = None) -> None:
    """A service's refusal on the form that asked: by field where it names one the form has
    (so the error summary links to it), otherwise on ``field`` or the whole form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for e in errors:
                for message in e.messages:
                    form.add_error(name if name in form.fields else field, message)
        return
    for message in error.messages:
        form.add_error(field, message)


class GovUKBoundField(BoundField):
    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str):
        super().__init__(form, field, name)
        self._no_dashes(form, field, name)

    @staticmethod
    def _no_dashes(form: forms.BaseForm, field: forms.Field, name: str) -> None:
        """A drop-down's empty first option says what to choose, never "---------"."""
        if not isinstance(field.widget, forms.Select) or isinstance(
                field.widget, forms.SelectMultiple | forms.NullBooleanSelect):
            return
        noun = getattr(form, "plain_names", {}).get(name) or _the(
            str(field.label or name.replace("_", " ")).rstrip(" :?"))
        prompt = f"Select {noun}" if field.required else "Not chosen"
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DASHES:
                field.empty_label = prompt
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)  # type: ignore[arg-type]
            if any(value == "" and label == DASHES for value, label in choices):
                field.choices = [(v, prompt if v == "" and lbl == DASHES else lbl)
                                 for v, lbl in choices]

    @property
    def errors(self) -> ErrorList:
        raw = self.form.errors.get(self.name)
        if not raw:
            return super().errors
        label = str(self.label or self.name.replace("_", " ").capitalize())
        noun = getattr(self.form, "plain_names", {}).get(self.name)
        return self.form.error_class(
            [plain_message(self.field, label, e, noun) for e in raw.as_data()],
            renderer=self.form.renderer)


class GovUKFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"
    bound_field_class = GovUKBoundField
