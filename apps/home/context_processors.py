"""Statuses and kinds for templates, so pages compare with the choices, never with bare
strings: ``{% if review.status == ReviewStatus.ACTING %}`` (tests/test_no_bare_statuses.py).

It lives on top of every domain app, as it names their choices; Django's choices are not
called by templates, so ``ReviewStatus.ACTING`` reads the member."""

from apps.allocation.models import Outcome, PlaceRole
from apps.core.jobs import JobState
from apps.frameworks.models import FrameworkVersion
from apps.frameworks.presenters import Change
from apps.home.models import Enquiry
from apps.improvement.models import Action, Workshop
from apps.partnerships.models import AlumniMembership, Phase
from apps.resources.models import Audience as ResourceAudience
from apps.resources.models import Resource
from apps.reviews.models import Mode, PartnerAgreement, Report, Status, TeamMember
from apps.support.models import SupportMatch, SupportRequest
from apps.training.models import Audience as CourseAudience
from apps.training.models import Booking, Poll, Session

CHOICES = {
    "ActionState": Action.State,
    "AgreementState": PartnerAgreement.State,
    "AllocationOutcome": Outcome,
    "AlumniState": AlumniMembership.State,
    "BookingState": Booking.State,
    "Change": Change,
    "EnquiryState": Enquiry.State,
    "CourseAudience": CourseAudience,
    "JobState": JobState,
    "MatchState": SupportMatch.State,
    "PartnershipPhase": Phase,
    "PlaceRole": PlaceRole,
    "PollKind": Poll.Kind,
    "ReportState": Report.State,
    "RequestState": SupportRequest.State,
    "ResourceAudience": ResourceAudience,
    "ResourceKind": Resource.Kind,
    "ReviewMode": Mode,
    "ReviewStatus": Status,
    "SessionMode": Session.Mode,
    "TeamRole": TeamMember.Role,
    "TeamState": TeamMember.State,
    "VersionStatus": FrameworkVersion.Status,
    "WorkshopMode": Workshop.Mode,
}


def choices(request):
    return CHOICES
