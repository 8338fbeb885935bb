"""factory_boy factories for Suunta's models."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.test import Client

from strategy.models import (
    Action,
    AnnualPlan,
    FocusArea,
    Goal,
    Membership,
    Organisation,
    Perspective,
    PlanItem,
    Section,
    StrategicChoice,
    Strategy,
)

PASSWORD = "suunta-test"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.fi")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisaatio {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = Organisation.Kind.UNIT


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "staff"


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.SECTOR)
    title = factory.Sequence(lambda n: f"Strategia {n}")
    slug = factory.Sequence(lambda n: f"strategia-{n}")
    period_start = 2022
    period_end = 2027
    status = Strategy.Status.APPROVED


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Luku {n}")


class PerspectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Perspective

    strategy = factory.SubFactory(StrategyFactory)
    name = factory.Sequence(lambda n: f"Näkökulma {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    strategy = factory.SubFactory(StrategyFactory)
    title = factory.Sequence(lambda n: f"Tavoite {n}")
    direction = "increase"


class StrategicChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicChoice

    strategy = factory.SubFactory(StrategyFactory)
    group = StrategicChoice.Group.EXTERNAL
    theme = factory.Sequence(lambda n: f"Teema {n}")
    invest_in = "uuteen"
    more_than = "vanhaan"


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: f"3.{n + 1}")
    title = factory.Sequence(lambda n: f"Painopiste {n}")
    order = factory.Sequence(lambda n: n)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    strategy = factory.SubFactory(StrategyFactory)
    focus_area = factory.SubFactory(FocusAreaFactory, strategy=factory.SelfAttribute("..strategy"))
    title = factory.Sequence(lambda n: f"Toimenpide {n}")
    start_year = 2022
    end_year = 2027


class AnnualPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlan

    strategy = factory.SubFactory(StrategyFactory)
    unit = factory.SubFactory(OrganisationFactory)
    year = 2025


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    plan = factory.SubFactory(AnnualPlanFactory)
    action = factory.SubFactory(ActionFactory, strategy=factory.SelfAttribute("..plan.strategy"))


# --- strategy parts of the editor ---
from strategy.models import (  # noqa: E402
    Objective,
    Principle,
    SpearheadProgramme,
    Stakeholder,
    TargetState,
    TradeOff,
    Vision,
)


class VisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vision

    strategy = factory.SubFactory(StrategyFactory)
    text = factory.Sequence(lambda n: f"Visio {n}")
    order = factory.Sequence(lambda n: n)


class PrincipleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Principle

    strategy = factory.SubFactory(StrategyFactory)
    title = factory.Sequence(lambda n: f"Arvo {n}")
    points = "Näkyy johtamisessa\nNäkyy arjessa"
    order = factory.Sequence(lambda n: n)


class TargetStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetState

    strategy = factory.SubFactory(StrategyFactory)
    title = factory.Sequence(lambda n: f"Tavoitetila {n}")
    order = factory.Sequence(lambda n: n)


class TradeOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TradeOff

    choice = factory.SubFactory(StrategicChoiceFactory)
    invest_in = factory.Sequence(lambda n: f"Uuteen {n}")
    more_than = "vanhaan"
    order = factory.Sequence(lambda n: n)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    goal = factory.SubFactory(GoalFactory)
    title = factory.Sequence(lambda n: f"Osatavoite {n}")
    order = factory.Sequence(lambda n: n)


class SpearheadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpearheadProgramme

    strategy = factory.SubFactory(StrategyFactory)
    name = factory.Sequence(lambda n: f"Kärki {n}")
    order = factory.Sequence(lambda n: n)


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    strategy = factory.SubFactory(StrategyFactory)
    name = factory.Sequence(lambda n: f"Sidosryhmä {n}")
    kind = Stakeholder.Kind.PARTNER
    order = factory.Sequence(lambda n: n)


# --- strategies with every kind of part (approval and versions) ---


def every_part(strategy: Strategy, *, copies: int = 1, tag: str = "") -> None:
    """``copies`` parts of every kind of the editor for ``strategy``, each
    with Finnish, Swedish and English text and every kind of link, so that
    snapshots, differences and query counts see the whole model."""
    from strategy.models import SustainableDevelopmentGoal

    sdg, _created = SustainableDevelopmentGoal.objects.get_or_create(number=4, defaults={"name": "Hyvä koulutus"})
    unit = OrganisationFactory(name=f"Yksikkö {tag}")

    def texts(name: str, base: str) -> dict[str, str]:
        return {f"{name}_fi": f"{base} fi", f"{name}_sv": f"{base} sv", f"{name}_en": f"{base} en"}

    for n in range(copies):
        key = f"{tag}{n}"
        VisionFactory(strategy=strategy, **texts("text", f"Visio {key}"), **texts("label", f"ulkoinen {key}"))
        PrincipleFactory(strategy=strategy, **texts("title", f"Arvo {key}"))
        SectionFactory(strategy=strategy, number=f"{key}.1", **texts("title", f"Osio {key}"), **texts("body", f"Teksti {key}"))
        TargetStateFactory(strategy=strategy, **texts("title", f"Tavoitetila {key}"))
        choice = StrategicChoiceFactory(strategy=strategy, **texts("theme", f"Valinta {key}"))
        TradeOffFactory(choice=choice, **texts("invest_in", f"Uuteen {key}"), **texts("more_than", f"vanhaan {key}"))
        perspective = PerspectiveFactory(strategy=strategy, **texts("name", f"Näkökulma {key}"))
        goal = GoalFactory(strategy=strategy, perspective=perspective, **texts("title", f"Tavoite {key}"))
        objective = ObjectiveFactory(goal=goal, **texts("title", f"Osatavoite {key}"))
        area = FocusAreaFactory(strategy=strategy, **texts("title", f"Painopiste {key}"))
        action = ActionFactory(
            strategy=strategy, focus_area=area, goal=goal, objective=objective, budget=1000, **texts("title", f"Toimi {key}")
        )
        action.responsible_units.add(unit)
        action.sdgs.add(sdg)
        spearhead = SpearheadFactory(strategy=strategy, **texts("name", f"Kärki {key}"))
        spearhead.goals.add(goal)
        spearhead.focus_areas.add(area)
        spearhead.actions.add(action)
        stakeholder = StakeholderFactory(strategy=strategy, **texts("name", f"Sidosryhmä {key}"))
        stakeholder.goals.add(goal)
        stakeholder.actions.add(action)


def signed_in(user: object, *, csrf_checks: bool = False) -> Client:
    """A test client signed in as ``user``; with ``csrf_checks``, one that
    posts only with the token a page gave it."""
    client = Client(enforce_csrf_checks=csrf_checks)
    client.force_login(user)  # type: ignore[arg-type]
    return client


def csrf_token_in(html: str, after: str = "") -> str:
    """The CSRF token of the first form in ``html`` (after the text ``after``)."""
    return html[html.index(after) :].split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
