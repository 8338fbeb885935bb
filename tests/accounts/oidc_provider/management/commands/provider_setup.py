from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from oauth2_provider.models import Application


class Command(BaseCommand):
    help = "Create the database and register the relying party (Suunta)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--migrate", action="store_true", help="create the database first")
        parser.add_argument("--client-id")
        parser.add_argument("--client-secret")
        parser.add_argument("--redirect-uri")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["migrate"]:
            # In this process rather than a second one: each start costs a second or two.
            call_command("migrate", verbosity=0)
        if options["client_id"]:
            Application.objects.filter(client_id=options["client_id"]).delete()
            Application.objects.create(
                name="Suunta",
                client_id=options["client_id"],
                client_secret=options["client_secret"],
                client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
                redirect_uris=options["redirect_uri"],
                algorithm=Application.RS256_ALGORITHM,
                skip_authorization=False,  # the consent page is part of the flow
            )
