"""A small, real OpenID Connect provider for Suunta's single sign-on tests.

It is django-oauth-toolkit in a Django project of its own, started by the
tests in a separate process on 127.0.0.1 with its own SQLite file
(``tests/accounts/test_oidc_sign_in.py``). People, their groups and Suunta's client are
set up with ``python -m django provider_setup``; a person's Django groups
become the ``groups`` claim.
"""
