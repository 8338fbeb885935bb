"""After a test that commits, the next one finds the content types and
permissions that ``migrate`` made (``tests.conftest`` writes them back after
emptying the tables instead of sending ``post_migrate`` again)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_migrate

from strategy.models import Organisation
from tests.conftest import module_commits

pytestmark = pytest.mark.django_db(transaction=True)


def test_post_migrate_has_no_listener_but_the_two_written_back() -> None:
    sync_receivers, async_receivers = post_migrate._live_receivers(None)
    names = {f"{receiver.__module__}.{receiver.__qualname__}" for receiver in [*sync_receivers, *async_receivers]}
    assert names == {
        "django.contrib.contenttypes.management.create_contenttypes",
        "django.contrib.auth.management.create_permissions",
        # Renames permissions when migrate renames a model: nothing to do after a flush.
        "django.contrib.auth.management.rename_permissions_after_model_rename",
    }


def test_a_test_that_commits_a_row() -> None:
    Organisation.objects.create(name="Kaupunki", slug="kaupunki", kind=Organisation.Kind.CITY)
    assert Permission.objects.exists()


def test_the_next_test_finds_every_content_type_and_permission_and_no_row_of_the_last() -> None:
    assert not Organisation.objects.exists()
    ContentType.objects.clear_cache()
    models = apps.get_models()
    stored = set(ContentType.objects.values_list("app_label", "model"))
    assert {(model._meta.app_label, model._meta.model_name) for model in models} <= stored
    expected = {
        (model._meta.app_label, codename)
        for model in models
        for codename in [f"{action}_{model._meta.model_name}" for action in model._meta.default_permissions]
        + [codename for codename, _name in model._meta.permissions]
    }
    assert set(Permission.objects.values_list("content_type__app_label", "codename")) == expected


def test_a_module_with_a_test_that_commits_builds_a_world_for_each_test(
    request: pytest.FixtureRequest, world_of_module: object
) -> None:
    assert module_commits(request)
    assert world_of_module is None
