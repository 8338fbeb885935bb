"""The public pages: what an anonymous resident sees, and what never reaches them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator, Measurement
from maturity.models import AgreedLevel, AssessmentRound, Dimension, Level, MaturityModel
from strategy import clock
from strategy.models import AnnualPlan, PlanComment, PlanItem, Profile, Strategy, StrategyVersion
from strategy.versions import strategy_snapshot
from tests.factories import FocusAreaFactory, PlanItemFactory, every_part

pytestmark = pytest.mark.django_db


def approve(strategy: Strategy, *, number: int = 1) -> StrategyVersion:
    """Freeze the working copy as an approved version, as an approval does."""
    return StrategyVersion.objects.create(
        strategy=strategy,
        number=number,
        approved_on=datetime.date(2024, 5, 1),
        decision_body={"fi": "Valtuusto"},
        decision_reference="1 §",
        snapshot=strategy_snapshot(strategy),
    )


def publish(strategy: Strategy) -> None:
    Strategy.objects.filter(pk=strategy.pk).update(published=True)


def strategy_url(strategy: Strategy) -> str:
    return reverse("public-strategy", args=[strategy.organisation.slug, strategy.slug])


@pytest.fixture
def published(world):  # type: ignore[no-untyped-def]
    every_part(world.strategy)
    approve(world.strategy)
    publish(world.strategy)
    return world.strategy


def test_unpublished_strategy_is_404_for_anonymous(client, world) -> None:
    approve(world.strategy)
    assert client.get(strategy_url(world.strategy)).status_code == 404
    assert client.get(reverse("public-organisation", args=[world.sector.slug])).status_code == 404
    assert world.strategy.title not in client.get(reverse("public-index")).content.decode()


def test_published_strategy_under_another_organisation_address_is_404(
    client, published, world
) -> None:
    url = reverse("public-strategy", args=[world.unit_a.slug, published.slug])
    assert client.get(url).status_code == 404


def test_draft_marked_published_stays_hidden(client, published) -> None:
    Strategy.objects.filter(pk=published.pk).update(status=Strategy.Status.DRAFT)
    assert client.get(strategy_url(published)).status_code == 404


def test_public_strategy_shows_the_approved_version_not_later_edits(client, published) -> None:
    area = published.focus_areas.get()
    area.title_en = "Edited after approval"
    area.save()
    FocusAreaFactory(strategy=published, title_en="Added after approval")
    response = client.get(strategy_url(published))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Painopiste 0 en" in html
    assert (
        "Visio 0 en" in html
        and "Arvo 0 en" in html
        and "Tavoite 0 en" in html
        and "Toimi 0 en" in html
    )
    assert "Edited after approval" not in html
    assert "Added after approval" not in html


def test_progress_comes_from_approved_plans_only(client, published, world) -> None:
    action = published.actions.get()
    year = clock.today().year
    year = min(max(year, published.period_start), published.period_end)
    approved = AnnualPlan.objects.create(
        strategy=published, unit=world.unit_a, year=year, status=AnnualPlan.Status.APPROVED
    )
    draft = AnnualPlan.objects.create(strategy=published, unit=world.unit_b, year=year)
    item = PlanItemFactory(
        plan=approved,
        action=action,
        status=PlanItem.Status.ON_TRACK,
        progress=40,
        description="Secret narrative",
    )
    PlanItemFactory(
        plan=draft,
        action=action,
        status=PlanItem.Status.DELAYED,
        progress=0,
        description="Draft narrative",
    )
    PlanComment.objects.create(item=item, author=world.head, text="A private comment")
    html = client.get(strategy_url(published)).content.decode()
    assert "Progress 40 %" in html
    assert "Delayed" not in html
    assert (
        "Secret narrative" not in html
        and "Draft narrative" not in html
        and "A private comment" not in html
    )


def test_responsible_person_text_is_never_shown(client, published) -> None:
    action = published.actions.get()
    action.responsible_person = "Maija Meikäläinen"
    action.save()
    StrategyVersion.objects.filter(strategy=published).delete()
    approve(published)
    assert "Meikäläinen" not in client.get(strategy_url(published)).content.decode()


def test_anonymous_pages_are_public_for_five_minutes_with_an_etag(client, published) -> None:
    response = client.get(strategy_url(published))
    assert response["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in response["Vary"] and "Accept-Language" in response["Vary"]
    # The htmx fragment and the whole page share a URL: a cache must keep them apart.
    assert "HX-Request" in response["Vary"]
    etag = response["ETag"]
    assert "Set-Cookie" not in response.headers and not response.cookies
    again = client.get(strategy_url(published), headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=300"


def test_etag_changes_when_progress_changes(client, published, world) -> None:
    etag = client.get(strategy_url(published))["ETag"]
    year = min(max(clock.today().year, published.period_start), published.period_end)
    plan = AnnualPlan.objects.create(
        strategy=published, unit=world.unit_a, year=year, status=AnnualPlan.Status.APPROVED
    )
    PlanItemFactory(
        plan=plan, action=published.actions.get(), status=PlanItem.Status.DONE, progress=100
    )
    response = client.get(strategy_url(published), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_signed_in_visitor_of_public_page_keeps_private_no_store(client, published, world) -> None:
    client.force_login(world.viewer)
    response = client.get(strategy_url(published))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "name",
    [
        "public-index",
        "public-organisation",
        "public-strategy",
        "public-indicator-list",
        "public-maturity",
    ],
)
def test_every_page_works_for_anonymous(client, published, world, name) -> None:
    MaturityModel.objects.create(strategy=published, name="Malli")
    args = {
        "public-index": [],
        "public-organisation": [world.sector.slug],
    }.get(name, [world.sector.slug, published.slug])
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"


def _indicator(strategy: Strategy, name: str) -> Indicator:
    indicator = Indicator.objects.create(
        strategy=strategy,
        name_en=name,
        name_fi=name,
        baseline_value=Decimal(10),
        baseline_year=2022,
    )
    Measurement.objects.create(indicator=indicator, year=2023, value=Decimal(12))
    Measurement.objects.create(indicator=indicator, year=2024, value=Decimal(14))
    return indicator


def test_indicators_show_approved_definitions_with_charts_and_data(client, world) -> None:
    strategy = world.strategy
    kept = _indicator(strategy, "Library visits")
    approve(strategy)
    publish(strategy)
    later = _indicator(strategy, "Added since approval")
    Indicator.objects.filter(pk=kept.pk).update(
        name_en="Renamed since approval", name_fi="Renamed since approval"
    )
    listing = client.get(
        reverse("public-indicator-list", args=[world.sector.slug, strategy.slug])
    ).content.decode()
    assert "Library visits" in listing
    assert "Renamed since approval" not in listing and "Added since approval" not in listing
    detail = client.get(
        reverse("public-indicator", args=[world.sector.slug, strategy.slug, kept.pk])
    )
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "<svg" in html and "<table" in html and "Library visits" in html
    url = reverse("public-indicator", args=[world.sector.slug, strategy.slug, later.pk])
    assert client.get(url).status_code == 404


def test_indicator_list_htmx_filter_returns_the_table_fragment(client, world) -> None:
    strategy = world.strategy
    _indicator(strategy, "Library visits")
    approve(strategy)
    publish(strategy)
    url = reverse("public-indicator-list", args=[world.sector.slug, strategy.slug])
    response = client.get(url, headers={"hx-request": "true"})
    html = response.content.decode()
    assert 'id="indicator-table"' in html and "<html" not in html


def test_maturity_page_shows_the_sector_row_never_unit_rows(client, published, world) -> None:
    model = MaturityModel.objects.create(strategy=published, name="Malli")
    levels = [Level.objects.create(model=model, ordinal=n, name_en=f"Level {n}") for n in (1, 2, 3)]
    dimension = Dimension.objects.create(model=model, number="1", title_en="Reading")
    round_ = AssessmentRound.objects.create(
        model=model,
        year=2024,
        status=AssessmentRound.Status.CLOSED,
        opens=datetime.date(2024, 1, 1),
        closes=datetime.date(2024, 2, 1),
    )
    round_.units.add(world.unit_a, world.unit_b)
    AgreedLevel.objects.create(
        round=round_, unit=world.unit_a, dimension=dimension, level=levels[2]
    )
    AgreedLevel.objects.create(
        round=round_, unit=world.unit_b, dimension=dimension, level=levels[0]
    )
    html = client.get(
        reverse("public-maturity", args=[world.sector.slug, published.slug])
    ).content.decode()
    assert "Reading" in html
    assert "Level 2" in html  # the median of the two units
    assert world.unit_a.name not in html and world.unit_b.name not in html


def test_language_switch_sets_the_cookie_and_returns_to_the_page(
    client, published, settings
) -> None:
    response = client.get(
        reverse("public-language"), {"language": "sv", "next": strategy_url(published)}
    )
    assert response.status_code == 302
    assert response["Location"] == strategy_url(published)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    page = client.get(strategy_url(published))
    assert '<html lang="sv">' in page.content.decode()


def test_language_switch_never_redirects_elsewhere(client) -> None:
    response = client.get(
        reverse("public-language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/public/"
    assert "django_language" not in response.cookies


def test_owner_publishes_an_approved_strategy_in_the_studio(client, world) -> None:
    strategy = world.strategy
    approve(strategy)
    client.force_login(world.owner)
    url = reverse("strategy-settings", args=[strategy.slug])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name != "parent"
    }
    data.update({"title_fi": "Kulttuuristrategia", "published": "on", "version": strategy.version})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    strategy.refresh_from_db()
    assert strategy.published
    assert client.get(strategy_url(strategy)).status_code == 200


def test_publishing_a_draft_is_refused_and_changes_nothing(client, world) -> None:
    strategy = world.strategy
    Strategy.objects.filter(pk=strategy.pk).update(status=Strategy.Status.DRAFT)
    strategy.refresh_from_db()
    client.force_login(world.owner)
    url = reverse("strategy-settings", args=[strategy.slug])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name != "parent"
    }
    data.update({"published": "on", "version": strategy.version, "title_fi": "Changed"})
    response = client.post(url, data)
    assert response.status_code == 422
    assert "Only an approved strategy can be published" in response.content.decode()
    strategy.refresh_from_db()
    assert not strategy.published and strategy.title_fi != "Changed"


def test_profile_lets_a_person_show_their_name(client, world) -> None:
    client.force_login(world.head)
    response = client.post(
        reverse("profile"),
        {
            "first_name": "Hilla",
            "last_name": "Head",
            "email": "head@example.fi",
            "language": "en",
            "public": "on",
        },
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=world.head).public


def _sizes(world, copies: int) -> Strategy:  # type: ignore[no-untyped-def]
    strategy = world.strategy
    every_part(strategy, copies=copies, tag=f"c{copies}")
    for n in range(copies):
        _indicator(strategy, f"Indicator {copies}-{n}")
    year = min(max(clock.today().year, strategy.period_start), strategy.period_end)
    plan, _created = AnnualPlan.objects.get_or_create(
        strategy=strategy,
        unit=world.unit_a,
        year=year,
        defaults={"status": AnnualPlan.Status.APPROVED},
    )
    for action in strategy.actions.exclude(plan_items__plan=plan):
        PlanItemFactory(plan=plan, action=action, status=PlanItem.Status.ON_TRACK, progress=50)
    StrategyVersion.objects.filter(strategy=strategy).delete()
    approve(strategy)
    publish(strategy)
    return strategy


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("public-index", 1),
        ("public-organisation", 2),
        # A first visit reads the version's snapshot in a query of its own;
        # later ones read the content from the fragment cache (test_public_lists).
        ("public-strategy", 8),
        ("public-indicator-list", 8),
        ("public-maturity", 3),
    ],
)
def test_query_counts_do_not_grow_with_the_data(
    client, world, django_assert_max_num_queries, name, limit
) -> None:
    for copies in (1, 4):
        strategy = _sizes(world, copies)
        args = {"public-index": [], "public-organisation": [world.sector.slug]}.get(
            name, [world.sector.slug, strategy.slug]
        )
        with django_assert_max_num_queries(limit):
            response = client.get(reverse(name, args=args))
        assert response.status_code == 200


def test_indicator_detail_query_count_does_not_grow(
    client, world, django_assert_max_num_queries
) -> None:
    for copies in (1, 4):
        strategy = _sizes(world, copies)
        indicator = Indicator.objects.filter(strategy=strategy).first()
        for year in range(2022, 2022 + copies):
            Measurement.objects.update_or_create(
                indicator=indicator, year=year, defaults={"value": Decimal(year)}
            )
        StrategyVersion.objects.filter(strategy=strategy).delete()
        approve(strategy)
        with django_assert_max_num_queries(7):
            response = client.get(
                reverse("public-indicator", args=[world.sector.slug, strategy.slug, indicator.pk])
            )
        assert response.status_code == 200


def test_home_shows_visitors_the_way_to_the_public_pages(client, world) -> None:
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("public-index") in html and reverse("login") in html
    assert response["Cache-Control"] == "public, max-age=300"
    client.force_login(world.owner)
    assert (
        reverse("strategy-detail", args=[world.strategy.slug])
        in client.get(reverse("home")).content.decode()
    )


def test_maturity_page_without_a_model_says_so(client, published, world) -> None:
    response = client.get(reverse("public-maturity", args=[world.sector.slug, published.slug]))
    assert response.status_code == 200
    assert "This strategy has no maturity model." in response.content.decode()


def test_head_request_is_answered_like_get(client, published) -> None:
    response = client.head(strategy_url(published))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"


def test_maturity_query_count_does_not_grow_with_units_and_dimensions(
    client, published, world, django_assert_max_num_queries
) -> None:
    model = MaturityModel.objects.create(strategy=published, name="Malli")
    levels = [Level.objects.create(model=model, ordinal=n, name_en=f"Level {n}") for n in (1, 2, 3)]
    round_ = AssessmentRound.objects.create(
        model=model,
        year=2024,
        status=AssessmentRound.Status.CLOSED,
        opens=datetime.date(2024, 1, 1),
        closes=datetime.date(2024, 2, 1),
    )
    url = reverse("public-maturity", args=[world.sector.slug, published.slug])
    for size in (1, 4):
        for n in range(size):
            dimension = Dimension.objects.create(
                model=model, number=f"{size}.{n}", title_en=f"Dimension {size}.{n}"
            )
            for organisation in (world.unit_a, world.unit_b):
                round_.units.add(organisation)
                AgreedLevel.objects.create(
                    round=round_, unit=organisation, dimension=dimension, level=levels[n % 3]
                )
        with django_assert_max_num_queries(11):
            response = client.get(url)
        assert response.status_code == 200


def test_published_strategy_without_an_approved_version_is_not_listed(client, world) -> None:
    publish(world.strategy)
    assert world.strategy.title not in client.get(reverse("public-index")).content.decode()
    assert client.get(strategy_url(world.strategy)).status_code == 404


def test_studio_settings_link_to_the_public_page_once_published(client, published, world) -> None:
    client.force_login(world.owner)
    html = client.get(reverse("strategy-settings", args=[published.slug])).content.decode()
    assert strategy_url(published) in html


def test_owners_who_chose_to_be_named_are_the_strategys_contacts(client, published, world) -> None:
    from strategy.models import Membership, Role

    world.owner.first_name, world.owner.last_name = "Olli", "Omistaja"
    world.owner.save()
    second = Membership.objects.create(
        user=world.otherhead, organisation=world.sector, role=Role.OWNER
    ).user
    second.first_name, second.last_name = "Salla", "Salainen"
    second.save()
    Profile.objects.update_or_create(user=world.owner, defaults={"public": True})
    Profile.objects.update_or_create(user=second, defaults={"public": False})

    page = client.get(strategy_url(published)).content.decode()

    assert "Olli Omistaja" in page
    assert "Salainen" not in page
    Profile.objects.filter(user=world.owner).update(public=False)
    page = client.get(strategy_url(published)).content.decode()
    assert "Omistaja" not in page and 'id="contacts"' not in page


def test_swedish_public_pages_mark_text_shown_in_finnish(client, world) -> None:
    """WCAG 3.1.2 on the pages residents read: approved text with no Swedish
    version is shown in Finnish and marked as Finnish; translated text is not."""
    from strategy.models import Goal

    strategy = world.strategy
    every_part(strategy)
    goal = Goal.objects.filter(strategy=strategy).first()
    Goal.objects.filter(pk=goal.pk).update(title_fi="Hyvinvointi kaikille", title_sv="")
    Goal.objects.create(strategy=strategy, title_fi="Osallisuus", title_sv="Delaktighet", order=99)
    approve(strategy)
    publish(strategy)

    page = client.get(strategy_url(strategy), HTTP_ACCEPT_LANGUAGE="sv").content.decode()

    assert '<h3><span lang="fi">Hyvinvointi kaikille</span></h3>' in page
    assert "<h3>Delaktighet</h3>" in page
