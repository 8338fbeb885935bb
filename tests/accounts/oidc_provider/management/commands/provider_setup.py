from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from oauth2_provider.models import Application

from ...people import person_set


class Command(BaseCommand):
    help = "Register the relying party and/or create or update one person with their groups."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--migrate", action="store_true", help="create the database first")
        parser.add_argument("--client-id")
        parser.add_argument("--client-secret")
        parser.add_argument("--redirect-uri")
        parser.add_argument("--username")
        parser.add_argument("--password")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--groups", default="", help="comma-separated; replaces the person's groups")

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
        if options["username"]:
            person_set(
                options["username"],
                password=options["password"],
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                groups=options["groups"].split(","),
            )
