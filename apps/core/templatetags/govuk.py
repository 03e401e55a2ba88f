from datetime import date, datetime, time

from django import template
from django.forms import BoundField
from django.utils.translation import gettext as _

from apps.core import dates

register = template.Library()

_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}


@register.filter
def govuk_widget(field: BoundField) -> str:
    """Render a field's widget with the GOV.UK class, error state and described-by ids."""
    kind = field.widget_type
    css = _CLASSES.get(kind, "govuk-input")
    if field.errors and css != "govuk-checkboxes__input":
        css += f" {css}--error"
    width = field.field.widget.attrs.get("class", "")
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {"class": f"{css} {width}".strip()}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def is_grouped(field: BoundField) -> bool:
    """Radios and multiple checkboxes sit in a fieldset with a legend."""
    return field.widget_type in ("radioselect", "checkboxselectmultiple")


@register.simple_tag
def error_title_prefix(*forms) -> str:
    return _("Error: ") if any(f is not None and getattr(f, "errors", None) for f in forms) else ""


# Dates and times in the GOV.UK style (apps/core/dates.py): one way of writing them everywhere.
@register.filter
def govuk_date(value: date | datetime | None, options: str | None = None) -> str:
    return dates.date_text(value, options)


@register.filter
def govuk_time(value: time | datetime | None) -> str:
    return dates.time_text(value)


@register.filter
def govuk_datetime(value: datetime | None, options: str | None = None) -> str:
    return dates.datetime_text(value, options)


@register.simple_tag
def govuk_time_range(start: time | datetime | None, end: time | datetime | None) -> str:
    return dates.time_range_text(start, end)
