"""GOV.UK Design System rendering for every Django form (ours and allauth's).

``{{ form }}`` and ``{{ field.as_field_group }}`` render the accessible components: label,
hint, error message, fieldset and legend for grouped inputs. Pages put the error summary
at the top with ``{% include "forms/error_summary.html" %}``.
"""

from django.forms.renderers import TemplatesSetting


class GovUKFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"

