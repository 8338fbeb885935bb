"""The search pages: one for signed-in people, one over published content.

One view serves the page and, for htmx, its results region
(``search/search.html#results``); a plain GET form and plain links do the
same without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from strategy.fragments import cached, fragment_key
from strategy.htmx import render_page

from .forms import SearchForm
from .services import Kind, Scope, scope_for_user, scope_public, search_cached, search_keys

PAGE_SIZE = 20


def _search_page(
    request: HttpRequest, *, scope: Callable[[], Scope], template: str, url_name: str, public: bool
) -> HttpResponse:
    form = SearchForm(request.GET)
    context: dict[str, object] = {
        "form": form,
        "public": public,
        "query": "",
        "search_url": reverse(url_name),
    }
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        context["query"] = query
        searched = scope()
        keys = search_keys(scope=searched, query=query)
        if keys is not None:
            # The rendered page of results is kept under the results' own keys
            # (everything they are read from) and the page asked for.
            number = request.GET.get("page", "")
            key = fragment_key("search-page", template, number, *(key for key, _kinds in keys))
            context["results_html"] = cached(
                key,
                lambda: render_to_string("search/_results.html", _results_context(context, searched, query, number, keys)),
            )
        else:
            context.update(_results_context(context, searched, query, request.GET.get("page"), None))
    return render_page(request, template, context, fragment="results")


def _results_context(
    context: dict[str, object], scope: Scope, query: str, number: str | None, keys: list[tuple[str, list[Kind]]] | None
) -> dict[str, object]:
    results = search_cached(scope=scope, query=query, keys=keys)
    page = Paginator(results.hits, PAGE_SIZE).get_page(number)
    return {
        **context,
        "results": results,
        "page": page,
        "groups": [(kind, list(hits)) for kind, hits in groupby(page.object_list, key=lambda hit: hit.kind)],
    }


@require_GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Search what the signed-in person may read, as the pages show it to them."""
    return _search_page(
        request,
        scope=lambda: scope_for_user(request.user),
        template="search/search.html",
        url_name="search",
        public=False,
    )


@require_GET
def public_search(request: HttpRequest) -> HttpResponse:
    """Search the published strategies' approved versions, without signing in."""
    return _search_page(
        request,
        scope=scope_public,
        template="search/public_search.html",
        url_name="public-search",
        public=True,
    )
