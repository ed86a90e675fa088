"""The Jinja2 environment: app templates first, then the NHS.UK frontend macros."""

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from gpvoice.core.formats import day, short_day, short_when, when
from gpvoice.core.formrender import choice_checks, choice_items, field_kind, form_error_list, length_limit


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


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
