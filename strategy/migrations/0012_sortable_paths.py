"""Organisation paths with zero-padded keys, so that ordering by path keeps
siblings in the order they were added (unpadded, "10/" sorted before "9/")."""

from django.db import migrations

PATH_DIGITS = 10  # strategy.models.organisation.PATH_DIGITS when this was written


def _rewrite(apps, schema_editor, step) -> None:  # type: ignore[no-untyped-def]
    Organisation = apps.get_model("strategy", "Organisation")
    parents = dict(Organisation.objects.values_list("pk", "parent_id"))
    paths: dict[int, str] = {}

    def path_of(pk: int) -> str:
        if pk not in paths:
            parent = parents[pk]
            paths[pk] = (path_of(parent) if parent else "") + step(pk)
        return paths[pk]

    for pk in parents:
        Organisation.objects.filter(pk=pk).update(path=path_of(pk))


def padded(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    _rewrite(apps, schema_editor, lambda pk: f"{pk:0{PATH_DIGITS}d}/")


def unpadded(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    _rewrite(apps, schema_editor, lambda pk: f"{pk}/")


class Migration(migrations.Migration):
    dependencies = [("strategy", "0011_content_stamp_outside_names")]

    operations = [migrations.RunPython(padded, unpadded)]
