"""The Jinja2 environment: app templates first, then the NHS.UK frontend macros."""

import re
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from gpvoice.core.components import plain_summary_list
from gpvoice.core.formats import day, short_day, short_when, when
from gpvoice.core.formrender import choice_checks, choice_items, field_kind, form_error_list, length_limit


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


_DIGITS = re.compile(r"[0-9]+")
_ALNUM = re.compile(r"[A-Za-z0-9]+")
_MARK = "7051926384"


class _Route:
    """One route with all but its last argument fixed: Django's ``reverse`` run once with a marker
    in the last place, then each link by putting the value where the marker was. Only values the
    route surely takes unchanged (plain digits, or letters and digits where the route takes them)
    go that way; anything else goes through ``reverse`` itself, which quotes or refuses it."""

    def __init__(self, name: str, fixed: tuple[Any, ...]) -> None:
        self.name, self.fixed = name, fixed
        self.safe: re.Pattern[str] | None = None
        self.prefix = self.suffix = ""
        for safe, mark in ((_ALNUM, "Q" + _MARK), (_DIGITS, _MARK)):
            try:
                built = reverse(name, args=[*fixed, mark])
            except NoReverseMatch:
                continue
            if built.count(mark) == 1:
                self.prefix, self.suffix = built.split(mark)
                self.safe = safe
            break

    def __call__(self, value: Any) -> str:
        text = str(value)
        if self.safe is not None and self.safe.fullmatch(text):
            return f"{self.prefix}{text}{self.suffix}"
        return reverse(self.name, args=[*self.fixed, value])


@lru_cache(maxsize=256)
def _route(name: str, fixed: tuple[Any, ...], prefix: str, urlconf: Any) -> _Route:
    return _Route(name, fixed)


def link(name: str, *args: Any) -> str:
    """``url(name, *args)`` for a table's rows, where only the last argument changes from row to
    row (a practice's code, a person's id): ``reverse`` cost 0.1 ms a link, 100 links a page."""
    *fixed, last = args
    return _route(name, tuple(fixed), get_script_prefix(), get_urlconf())(last)


def environment(**options: Any) -> Environment:
    loader = options.pop("loader")
    options.pop("undefined", None)
    # Django's Jinja2 backend passes autoescape=True in options.
    env = Environment(  # noqa: S701
        loader=ChoiceLoader([loader, PackageLoader("nhsuk_frontend_jinja", "templates")]),
        undefined=ChainableUndefined,  # the NHS.UK macros expect it
        **options,
    )
    env.globals.update(
        {
            "url": url,
            "link": link,
            "plain_summary_list": plain_summary_list,
            "field_kind": field_kind,
            "choice_items": choice_items,
            "choice_checks": choice_checks,
            "form_error_list": form_error_list,
            "length_limit": length_limit,
            "static": static,
            "get_messages": get_messages,
            "get_token": get_token,
            "SERVICE_NAME": settings.SERVICE_NAME,
            "SHOW_NHS_LOGO": settings.SHOW_NHS_LOGO,
        }
    )
    env.filters["when"] = when
    env.filters["day"] = day
    env.filters["short_day"] = short_day
    env.filters["short_when"] = short_when
    return env
