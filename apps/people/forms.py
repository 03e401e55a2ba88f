from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import PARTNERSHIP_ROLES, SCHOOL_ROLES, Role
from apps.accounts.roles import grantable_roles, is_core_team, led_partnership_ids
from apps.partnerships.models import Membership, Partnership
from apps.schools.models import School


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150,
                                error_messages={"required": _("Enter their full name")})
    email = forms.EmailField(label=_("Email address"),
                             error_messages={"required": _("Enter their email address"),
                                             "invalid": _("Enter an email address in the "
                                                          "right form, like name@school.org")},
                             widget=forms.EmailInput(attrs={"autocomplete": "off",
                                                            "spellcheck": "false"}))
    role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect,
                             error_messages={"required": _("Choose the role to invite them to")})
    partnership = forms.ModelChoiceField(
        label=_("Partnership"), queryset=Partnership.objects.none(), required=False,
        to_field_name="slug", empty_label=_("Choose a partnership"),
        help_text=_("For an associate or partnership lead: the partnership they will work with"))
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False,
        empty_label=_("Choose a school"),
        help_text=_("For a headteacher, school leader or staff member: their school"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if is_core_team(user):
            partnerships = Partnership.objects.all()
        else:
            partnerships = Partnership.objects.filter(pk__in=led_partnership_ids(user))
        self.fields["partnership"].queryset = partnerships
        self.fields["school"].queryset = School.objects.filter(
            pk__in=Membership.objects.current().filter(partnership__in=partnerships)
            .values("school_id")
        ).order_by("name")
        if is_core_team(user):
            self.fields["school_urn"] = forms.IntegerField(
                label=_("Or the school's URN"), required=False, min_value=1,
                max_value=2_000_000_000,
                help_text=_("For a school that is not yet in a partnership"),
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-10"}))
        roles = set()
        for p in partnerships:
            roles |= set(grantable_roles(user, p))
        roles |= set(grantable_roles(user))
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r.value in roles]

    def clean(self):
        data = super().clean()
        if data.get("school_urn") and data.get("school") and \
                data["school"].urn != data["school_urn"]:
            self.add_error("school_urn", _("Choose a school from the list or enter a URN, "
                                           "not both"))
        elif data.get("school_urn") and not data.get("school"):
            school = School.objects.filter(urn=data["school_urn"]).first()
            if school is None:
                self.add_error("school_urn", _("No school in the register has this URN"))
            data["school"] = school
        role, partnership, school = data.get("role"), data.get("partnership"), data.get("school")
        if role in PARTNERSHIP_ROLES and not partnership:
            self.add_error("partnership", _("Choose the partnership for this role"))
        if role in SCHOOL_ROLES:
            if not school:
                self.add_error("school", _("Choose the school for this role"))
            elif not partnership or not partnership.current_memberships().filter(
                    school=school).exists():
                # The partnership through which the inviter reaches this school.
                candidates = self.fields["partnership"].queryset.with_current_school(
                    [school.pk])
                data["partnership"] = candidates.first()
        return data


class TrainingDatesForm(forms.Form):
    reviewer_trained_until = forms.DateField(
        label=_("Peer-reviewer training current until"), required=False,
        help_text=_("Leave blank if not trained"),
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"},
                               format="%Y-%m-%d"))
    champion_trained_until = forms.DateField(
        label=_("Improvement Champion training current until"), required=False,
        help_text=_("Leave blank if not trained"),
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"},
                               format="%Y-%m-%d"))


class ChangeEmailForm(forms.Form):
    email = forms.EmailField(label=_("New sign-in email address"),
                             widget=forms.EmailInput(attrs={"autocomplete": "off",
                                                            "spellcheck": "false"}))
