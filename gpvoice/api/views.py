"""Pages for the API: the group admin's tokens, and the API's documentation (from its own schema)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.core.context import group_crumbs, render
from gpvoice.core.models import Role
from gpvoice.core.pagination import page_caption, page_links, page_of
from gpvoice.core.permissions import group_member, public

from . import presenters, selectors
from .api import api
from .forms import TokenForm
from .services import TokenError, token_create, token_revoke

SHOWN_ONCE = "api_token_shown_once"


@group_member(roles=[Role.ADMIN])
def tokens(request: HttpRequest) -> HttpResponse:
    group = request.group  # type: ignore[attr-defined]
    form = TokenForm(request.POST if request.method == "POST" and "revoke" not in request.POST else None)
    if request.method == "POST":
        if "revoke" in request.POST:
            return _revoke(request, request.POST.get("revoke", ""))
        if form.is_valid():
            try:
                token, text = token_create(group=group, actor=request.user, **form.cleaned_data)
            except TokenError as refusal:
                form.add_error("name", str(refusal))
            else:
                # Shown once, on the next page only (post/redirect/get); never stored in clear.
                request.session[SHOWN_ONCE] = {"name": token.name, "text": text}
                return redirect("api:tokens", group.slug)
    page = page_of(selectors.tokens_of(group=group), request)
    return render(
        request,
        "api/tokens.jinja",
        form=form,
        rows=presenters.token_rows(list(page.object_list)),
        caption=page_caption(page, "tokens"),
        pages=page_links(page, request, label="Pages of tokens"),
        new_token=request.session.pop(SHOWN_ONCE, None),
        breadcrumbs=group_crumbs(request, ("API tokens", None)),
    )


def _revoke(request: HttpRequest, pk: str) -> HttpResponse:
    group = request.group  # type: ignore[attr-defined]
    token = selectors.token_in(group=group, pk=pk)
    if token is None:
        raise Http404("No such token in this group")
    try:
        token_revoke(token=token, actor=request.user)
    except TokenError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"The token '{token.name}' was revoked. It no longer works.")
    return redirect("api:tokens", group.slug)


@public
def docs(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema()
    return render(
        request,
        "api/docs.jinja",
        info=schema["info"],
        operations=_operations(schema),
        schema_url=_schema_url(),
    )


def _schema_url() -> str:
    return reverse("apiv1:openapi-json")


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            rows.append(
                {
                    "method": method.upper(),
                    "path": "/api/v1" + path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {"name": p["name"], "where": p["in"], "required": p.get("required", False)}
                        for p in operation.get("parameters", [])
                    ],
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return rows
