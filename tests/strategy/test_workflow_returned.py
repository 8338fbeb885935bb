"""A plan the owner returns shows on its head's home page and in My units
with the owner's comment, until it is submitted again."""

from __future__ import annotations

from django.urls import reverse

from strategy import services

from .plan_fixtures import Plans, make_plan, plans_fixture  # noqa: F401

COMMENT = "Lisää <em>lasten</em> lukuhetket"


def test_returned_plan_shows_on_home_and_my_units_with_the_comment(world, plans: Plans, client) -> None:
    services.plan_submit(plan=plans.library, user=world.head)
    services.plan_return(plan=plans.library, user=world.owner, comment=COMMENT)
    client.force_login(world.head)
    escaped = "Lisää &lt;em&gt;lasten&lt;/em&gt; lukuhetket"
    url = reverse("plan-detail", args=[plans.library.pk])
    home = client.get(reverse("home")).content.decode()
    assert "Plans returned to you for changes" in home and escaped in home and url in home
    response = client.get(reverse("my-units"))
    assert [plan.pk for plan in response.context["returned"]] == [plans.library.pk]
    page = response.content.decode()
    assert 'id="returned-heading"' in page and escaped in page and COMMENT not in page

    # The museum's head sees nothing of it.
    client.force_login(world.otherhead)
    assert COMMENT not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("my-units")).context["returned"] == []

    # Submitted again: no longer waiting for the head.
    services.plan_submit(plan=plans.library, user=world.head)
    client.force_login(world.head)
    assert "Plans returned to you for changes" not in client.get(reverse("home")).content.decode()
    assert client.get(reverse("my-units")).context["returned"] == []


def test_a_returned_plan_of_another_year_still_shows(world, plans: Plans, client) -> None:
    other = make_plan(world, world.unit_a, year=plans.library.year - 1)
    services.plan_submit(plan=other, user=world.head)
    services.plan_return(plan=other, user=world.owner, comment="Korjaa budjetti")
    client.force_login(world.head)
    assert "Korjaa budjetti" in client.get(reverse("home")).content.decode()
    assert [plan.pk for plan in client.get(reverse("my-units")).context["returned"]] == [other.pk]
