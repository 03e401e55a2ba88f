

def test_the_associate_follows_up_overdue_actions_by_school(world, client_for):
    """The associate's step names the school whose plan has overdue actions (the counts their
    partnership progress page shows); no one else's home names it."""
    from tests.factories import MembershipFactory, SchoolFactory

    school = SchoolFactory(name="Quillanby Primary School")
    MembershipFactory(partnership=world.alpha, school=school)
    review = Review.objects.create(cycle=world.cycle, host=school, status=Status.ACTING)
    today = timezone.localdate()
    for i in range(2):
        Action.objects.create(review=review, title=f"Step {i}", owner=world.people["staff"],
                              starts_on=today - timedelta(days=30),
                              due_on=today - timedelta(days=3))
    page = _page(client_for, "associate")
    assert "Follow up 2 overdue actions in Quillanby Primary School’s plan (Alpha " \
        "Partnership)" in needs(page)
    assert reverse("improvement:partnership", args=[world.alpha.slug]) in needs(page)
    for persona in SIGNED_IN:
        if persona != "associate":
            assert "overdue actions in Quillanby" not in _page(client_for, persona), persona
