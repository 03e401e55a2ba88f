from django.conf import settings
from django.urls import reverse


def navigation(request):
    """The service navigation, built from what the signed-in person may do."""
    items = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        items.append(("Home", reverse("home"), ("home",)))
        items.append(("Reviews", reverse("reviews:index"), ("reviews:", "improvement:")))
        items.append(("Support", reverse("support:index"), ("support:",)))
        items.append(("Training", reverse("training:catalogue"), ("training:",)))
        items.append(("Schools", reverse("directory:schools"), ("directory:", "schools:")))
        if user.has_perm("community.take_part"):
            items.append(("Community", reverse("community:index"), ("community:",)))
        if user.has_perm("frameworks.view_frameworks"):
            items.append(("Frameworks", reverse("frameworks:list"), ("frameworks:",)))
        items.append(("Library", reverse("resources:library"), ("resources:",)))
        items.append(("Notifications", reverse("notifications:list"), ("notifications:",)))
        if user.has_perm("partnerships.list_partnerships"):
            items.append(("Partnerships", reverse("partnerships:list"), ("partnerships:",)))
        if user.has_perm("accounts.manage_people"):
            items.append(("People", reverse("people:people"), ("people:people",
                                                                 "people:invit")))
        if user.has_perm("impact.run_analyses") or user.has_perm("impact.list_fidelity") \
                or user.has_perm("impact.view_survey_results"):
            items.append(("Impact", reverse("impact:index"), ("impact:",)))
        if user.has_perm("core.view_audit_log"):
            items.append(("Audit log", reverse("core:audit"), ("core:audit",)))
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    nav = [
        {"label": label, "url": url,
         "active": any(current == p or (p.endswith(":") and current.startswith(p))
                       or current.startswith(p) for p in prefixes)}
        for label, url, prefixes in items
    ]
    return {"nav_items": nav, "platform_name": settings.PLATFORM_NAME}
