"""Submitting, returning and approving a plan emails the people who act
next, in their own language, after the decision is committed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse

from config.celery import app
from strategy import services
from strategy.models import AnnualPlan, Membership, Profile, Role
from tests.factories import UserFactory

from .plan_fixtures import Plans, plans_fixture  # noqa: F401


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Run ``task.delay()`` in the test's process instead of a worker."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def html_of(message: mail.EmailMultiAlternatives) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_submit_emails_the_owners_in_their_languages_after_commit(
    world, plans: Plans, eager_tasks: None, django_capture_on_commit_callbacks
) -> None:
    swedish_owner = UserFactory(username="agare")
    Membership.objects.create(user=swedish_owner, organisation=world.sector, role=Role.OWNER)
    Profile.objects.create(user=swedish_owner, language="sv")
    Profile.objects.create(user=world.owner, language="fi")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.plan_submit(plan=plans.library, user=world.head)
        assert not mail.outbox  # nothing before the commit
    assert len(callbacks) == 1
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["agare@example.fi", "owner@example.fi"]  # not the head who submitted
    url = settings.SITE_URL.rstrip("/") + reverse("plan-detail", args=[plans.library.pk])
    finnish, swedish = by_address["owner@example.fi"], by_address["agare@example.fi"]
    year = plans.library.year
    assert "Hei owner" in finnish.body and f"Toimintasuunnitelma Kirjasto {year}: Lähetetty" in finnish.body
    assert "Hej agare" in swedish.body and f"Verksamhetsplan Kirjasto {year}: Inlämnad" in swedish.body
    for message in (finnish, swedish):
        assert url in message.body and f'href="{url}"' in html_of(message)


def test_return_emails_the_head_the_comment_in_swedish_and_escapes_it(
    world, plans: Plans, eager_tasks: None, django_capture_on_commit_callbacks
) -> None:
    Profile.objects.create(user=world.head, language="sv")
    services.plan_submit(plan=plans.library, user=world.head)
    comment = "Lägg till <b>sagostunder</b> & läsdiplom"
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_return(plan=plans.library, user=world.owner, comment=comment)
    [message] = mail.outbox
    assert message.to == ["head@example.fi"]  # the library's head, not the museum's
    assert f"Verksamhetsplan Kirjasto {plans.library.year}: Återsänd" in message.body
    assert comment in message.body
    html = html_of(message)
    assert "&lt;b&gt;sagostunder&lt;/b&gt; &amp; läsdiplom" in html and "<b>" not in html


def test_approve_emails_the_unit_heads_in_finnish(
    world, plans: Plans, eager_tasks: None, django_capture_on_commit_callbacks, settings
) -> None:
    settings.LANGUAGE_CODE = "fi"  # the head has no profile: the site's language
    services.plan_submit(plan=plans.library, user=world.head)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_approve(plan=plans.library, user=world.owner)
    [message] = mail.outbox
    assert message.to == ["head@example.fi"]
    assert f"Toimintasuunnitelma Kirjasto {plans.library.year}: Hyväksytty" in message.body


def test_the_views_enqueue_the_emails_too(
    world, plans: Plans, eager_tasks: None, client, django_capture_on_commit_callbacks
) -> None:
    client.force_login(world.head)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("plan-submit", args=[plans.library.pk])).status_code == 302
    assert [message.to for message in mail.outbox] == [["owner@example.fi"]]


def test_nothing_is_sent_when_the_transaction_rolls_back(
    world, plans: Plans, eager_tasks: None, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.plan_submit(plan=plans.library, user=world.head)
            raise RuntimeError("something later in the same request failed")
    assert callbacks == [] and mail.outbox == []
    assert AnnualPlan.objects.get(pk=plans.library.pk).status == "draft"


def test_a_refused_decision_sends_nothing(
    world, plans: Plans, eager_tasks: None, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(services.PlanLockedError):
            services.plan_approve(plan=plans.library, user=world.owner)  # a draft cannot be approved
    assert callbacks == [] and mail.outbox == []
