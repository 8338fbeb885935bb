"""A small, real OpenID Connect provider for Suunta's single sign-on tests.

It is django-oauth-toolkit in a Django project of its own, started by the
tests in a separate process on 127.0.0.1 with its own SQLite file
(``tests/accounts/test_oidc_sign_in.py``). Its database and Suunta's client
are set up with ``python -m django provider_setup``; people and their groups
through ``/setup/people/<username>/`` with the run's setup token. A person's
Django groups become the ``groups`` claim.
"""
