"""Every governance write checks the actor in the service, so a page, the API, the back office and a
command all hold the same rule; every refusal changes nothing, and every write is on the record."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from gpvoice.core.models import AuditEntry, Role
from gpvoice.core.tests.threads import run_together
from gpvoice.directory.models import RoleType
from gpvoice.directory.tests.factories import AppointmentFactory, PersonFactory
from gpvoice.governance import services
from gpvoice.governance.models import (
    Authority,
    DecisionCategory,
    ExecutiveDecision,
    GovernanceSettings,
    MandateRound,
    RollEntry,
)
from gpvoice.governance.selectors import settings_for


def _draft(group, admin):
    return services.terms_create(group=group, title="ToR", body="# Purpose", actor=admin)


def _category(group, **fields):
    defaults = {"authority": Authority.EXECUTIVE, "review_date": date.today() + timedelta(days=90)}
    return DecisionCategory.objects.create(group=group, name="Small spend", **{**defaults, **fields})


def _later(days):
    return timezone.now() + timedelta(days=days)


def _admin_writes(group, personas, open_round):
    """Each admin-only write, as a callable taking the actor."""
    person = PersonFactory()
    AppointmentFactory(person=person, role=RoleType.PRACTICE_PARTNER)
    draft = _draft(group, personas[Role.ADMIN])
    entry = services.roll_add(group=group, person=PersonFactory(), status="observer", actor=None)
    decision = services.executive_decision_record(
        category=_category(group), title="Buy", rationale="Why", amount=None, actor=personas[Role.EXECUTIVE]
    )
    return {
        "roll_add": lambda a: services.roll_add(group=group, person=person, status="attendee", actor=a),
        "roll_end": lambda a: services.roll_end(entry=entry, actor=a),
        "terms_create": lambda a: services.terms_create(group=group, title="T", body="B", actor=a),
        "terms_update": lambda a: services.terms_update(terms=draft, title="T2", body="B2", actor=a),
        "terms_issue": lambda a: services.terms_issue(terms=draft, actor=a),
        "mandate_open": lambda a: services.mandate_open(
            terms=open_round.terms, closes_at=_later(3), expires_on=date.today() + timedelta(days=99), actor=a
        ),
        "mandate_extend": lambda a: services.mandate_extend(
            round=open_round, closes_at=_later(30), expires_on=open_round.expires_on, actor=a
        ),
        "category_create": lambda a: services.category_create(
            group=group, actor=a, name="New", authority=Authority.GROUP, review_date=date(2030, 1, 1)
        ),
        "decision_note": lambda a: services.executive_decision_note(decision=decision, actor=a),
        "category_update": lambda a: services.category_update(
            category=decision.category,
            actor=a,
            authority=Authority.GROUP,
            spend_limit=None,
            review_date=date(2030, 1, 1),
        ),
        "category_review_done": lambda a: services.category_review_done(
            category=decision.category, actor=a, next_review=date(2030, 1, 1)
        ),
        "settings_update": lambda a: services.governance_settings_update(
            group=group,
            actor=a,
            practices_share=(2, 3),
            patients_share=(1, 2),
            extra_eligible_roles=[],
            delegation_grace_days=30,
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.CORE, Role.ATTENDEE, Role.PRACTICE_STAFF, None])
def test_only_an_admin_of_the_group_makes_admin_writes(
    group, personas, outsider, open_round, unchanged, role
):
    actor = personas[role] if role else outsider  # None: an admin of another group
    for name, write in _admin_writes(group, personas, open_round).items():
        with unchanged(), pytest.raises(services.GovernanceError, match="Only an admin of Northvale"):
            write(actor)
        assert name


@pytest.mark.django_db
def test_an_anonymous_visitor_is_refused_not_taken_for_the_system(group, personas, open_round, unchanged):
    from django.contrib.auth.models import AnonymousUser

    for write in _admin_writes(group, personas, open_round).values():
        with unchanged(), pytest.raises(services.GovernanceError):
            write(AnonymousUser())


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CORE, Role.ATTENDEE, Role.OBSERVER, Role.PRACTICE_STAFF])
def test_only_officers_record_or_refer_executive_decisions(group, personas, unchanged, role):
    category = _category(group)
    for write in (services.executive_decision_record, services.executive_decision_refer):
        with unchanged(), pytest.raises(services.GovernanceError, match="Only the officers"):
            write(category=category, title="T", rationale="R", amount=Decimal(1), actor=personas[role])
    services.executive_decision_record(
        category=category, title="T", rationale="R", amount=None, actor=personas[Role.EXECUTIVE]
    )
    assert ExecutiveDecision.objects.count() == 1


# Every write is on the record ---------------------------------------------------------------


@pytest.mark.django_db
def test_changing_a_draft_is_recorded(group, personas):
    draft = _draft(group, personas[Role.ADMIN])
    services.terms_update(terms=draft, title="Terms", body="# Purpose", actor=personas[Role.ADMIN])
    entry = AuditEntry.objects.filter(action="governance.terms.changed").get()
    assert entry.actor == personas[Role.ADMIN] and entry.data == {"version": 1, "changed": ["title"]}


@pytest.mark.django_db
def test_hostile_terms_text_is_refused_with_a_message(group, personas, unchanged):
    draft = _draft(group, personas[Role.ADMIN])
    for title, body, message in [
        ("ToR\x00", "B", "cannot be stored"),
        ("   ", "B", "Enter the title"),
        ("T", "x" * 20_001, "20,000 characters or fewer"),
        ("T" * 201, "B", "200 characters"),
    ]:
        with unchanged(), pytest.raises(services.GovernanceError, match=message):
            services.terms_update(terms=draft, title=title, body=body, actor=personas[Role.ADMIN])


@pytest.mark.django_db(transaction=True)
def test_a_refused_core_membership_keeps_its_eligibility_decision_on_record(group, personas):
    """The roll is unchanged but the decision, and why, is committed to the audit log."""
    lead = PersonFactory(full_name="Dr System Lead")
    AppointmentFactory(person=lead, role=RoleType.SYSTEM_CLINICAL_LEAD)
    roll_before = list(RollEntry.objects.values())
    with pytest.raises(services.GovernanceError, match="system role"):
        services.roll_add(group=group, person=lead, status="core", actor=personas[Role.ADMIN])
    assert list(RollEntry.objects.values()) == roll_before
    decision = AuditEntry.objects.get(action="governance.eligibility.decided")
    assert decision.data["may_be_core"] is False and "system role" in decision.data["reason"]
    assert decision.actor == personas[Role.ADMIN]
    assert not AuditEntry.objects.filter(action="governance.roll.added").exists()


@pytest.mark.django_db
def test_a_permission_refusal_records_no_eligibility_decision(group, personas, unchanged):
    lead = PersonFactory()
    with unchanged(), pytest.raises(services.GovernanceError, match="Only an admin"):
        services.roll_add(group=group, person=lead, status="core", actor=personas[Role.CORE])


@pytest.mark.django_db
def test_ending_a_roll_entry_twice_is_refused(group, personas, unchanged):
    entry = services.roll_add(group=group, person=PersonFactory(), status="observer", actor=None)
    services.roll_end(entry=entry, actor=personas[Role.ADMIN])
    with unchanged(), pytest.raises(services.GovernanceError, match="already left"):
        services.roll_end(entry=entry, actor=personas[Role.ADMIN])


@pytest.mark.django_db
def test_noting_is_for_decisions_taken_and_only_once(group, personas, unchanged):
    executive, admin = personas[Role.EXECUTIVE], personas[Role.ADMIN]
    referred = services.executive_decision_refer(
        category=_category(group), title="T", rationale="R", amount=None, actor=executive
    )
    with unchanged(), pytest.raises(services.GovernanceError, match="referred ones go to the group"):
        services.executive_decision_note(decision=referred, actor=admin)
    taken = services.executive_decision_record(
        category=referred.category, title="T", rationale="R", amount=None, actor=executive
    )
    services.executive_decision_note(decision=taken, actor=admin)
    with unchanged():
        services.executive_decision_note(decision=taken, actor=admin)


# Governance settings ------------------------------------------------------------------------


@pytest.mark.django_db
def test_reading_the_settings_writes_nothing(group):
    settings = settings_for(group=group)
    assert settings.pk is None and settings.practices_threshold == settings.patients_threshold
    assert not GovernanceSettings.objects.exists()


def _settings(group, actor, practices=(1, 2), patients=(1, 2), roles=(), grace=30):
    return services.governance_settings_update(
        group=group,
        actor=actor,
        practices_share=practices,
        patients_share=patients,
        extra_eligible_roles=list(roles),
        delegation_grace_days=grace,
    )


@pytest.mark.django_db
def test_an_admin_changes_the_settings_and_it_is_recorded_with_old_and_new(group, personas):
    admin = personas[Role.ADMIN]
    _settings(group, admin, practices=(2, 3), roles=[RoleType.PRACTICE_MANAGER], grace=0)
    saved = settings_for(group=group)
    assert (saved.practices_share_num, saved.practices_share_den, saved.delegation_grace_days) == (2, 3, 0)
    entry = AuditEntry.objects.get(action="governance.settings.changed")
    assert entry.data["from"]["practices_share_num"] == 1 and entry.data["to"]["practices_share_num"] == 2
    assert entry.data["to"]["extra_eligible_roles"] == ["practice_manager"]


@pytest.mark.django_db
def test_saving_the_same_settings_writes_nothing(group, personas, unchanged):
    with unchanged():
        _settings(group, personas[Role.ADMIN])  # the defaults, never saved: still nothing to save


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("practices", "patients", "roles", "grace", "message"),
    [
        ((0, 2), (1, 2), [], 30, "more than none"),  # "more than nothing": any one practice
        ((2, 2), (1, 2), [], 30, "less than all"),  # "more than all": never reachable
        ((1, 2), (3, 2), [], 30, "less than all"),
        ((1, 0), (1, 2), [], 30, "whole numbers"),
        ((1, 2), (1, 1001), [], 30, "whole numbers"),
        (("1", 2), (1, 2), [], 30, "whole numbers"),
        ((1, 2), (1, 2), ["system_clinical_lead"], 30, "system role"),
        ((1, 2), (1, 2), ["chief_wizard"], 30, "from the list"),
        ((1, 2), (1, 2), "practice_manager", 30, "from the list"),
        ((1, 2), (1, 2), [], -1, "0 to 365"),
        ((1, 2), (1, 2), [], 366, "0 to 365"),
    ],
)
def test_settings_out_of_bounds_are_refused(
    group, personas, unchanged, practices, patients, roles, grace, message
):
    with unchanged(), pytest.raises(services.GovernanceError, match=message):
        services.governance_settings_update(
            group=group,
            actor=personas[Role.ADMIN],
            practices_share=practices,
            patients_share=patients,
            extra_eligible_roles=roles,
            delegation_grace_days=grace,
        )


@pytest.mark.django_db
def test_settings_at_their_bounds_are_kept(group, personas):
    _settings(group, personas[Role.ADMIN], practices=(999, 1000), patients=(1, 1000), grace=365)
    saved = settings_for(group=group)
    assert (saved.practices_share_num, saved.patients_share_den, saved.delegation_grace_days) == (
        999,
        1000,
        365,
    )


# Mandate rounds: one at a time, extended only later -----------------------------------------


@pytest.mark.django_db
def test_a_second_round_is_refused_while_one_is_open_and_numbered_after_it_closes(
    group, personas, open_round, unchanged
):
    admin = personas[Role.ADMIN]
    expires = date.today() + timedelta(days=400)
    with unchanged(), pytest.raises(services.GovernanceError, match="is open until"):
        services.mandate_open(terms=open_round.terms, closes_at=_later(3), expires_on=expires, actor=admin)
    with time_machine.travel(open_round.closes_at + timedelta(seconds=1)):
        second = services.mandate_open(
            terms=open_round.terms, closes_at=_later(30), expires_on=expires, actor=admin
        )
    assert (open_round.number, second.number) == (1, 2)


@pytest.mark.django_db
def test_extending_moves_dates_later_and_is_recorded(group, personas, open_round):
    closes, expires = open_round.closes_at + timedelta(days=7), open_round.expires_on + timedelta(days=1)
    services.mandate_extend(
        round=open_round, closes_at=closes, expires_on=expires, actor=personas[Role.ADMIN]
    )
    open_round.refresh_from_db()
    assert (open_round.closes_at, open_round.expires_on) == (closes, expires)
    entry = AuditEntry.objects.get(action="governance.mandate.extended")
    assert entry.data["from"]["expires_on"] == (expires - timedelta(days=1)).isoformat()


@pytest.mark.django_db
def test_extension_refusals_change_nothing(group, personas, open_round, unchanged):
    admin, closes, expires = personas[Role.ADMIN], open_round.closes_at, open_round.expires_on
    second = timedelta(seconds=1)
    cases = [
        (closes - second, expires, "can only move later"),  # one second shorter
        (closes, expires - timedelta(days=1), "can only move later"),
        (closes, expires, "already has"),
        (closes + timedelta(days=1), closes.date(), "can only move later"),
    ]
    for new_closes, new_expires, message in cases:
        with unchanged(), pytest.raises(services.GovernanceError, match=message):
            services.mandate_extend(
                round=open_round, closes_at=new_closes, expires_on=new_expires, actor=admin
            )
    with time_machine.travel(closes + second), unchanged():
        with pytest.raises(services.GovernanceError, match="Open a new round"):
            services.mandate_extend(
                round=open_round, closes_at=closes + timedelta(days=9), expires_on=expires, actor=admin
            )


@pytest.mark.django_db
def test_extension_exactly_to_the_same_closing_time_with_a_later_expiry_is_allowed(
    group, personas, open_round
):
    later = open_round.expires_on + timedelta(days=1)
    services.mandate_extend(
        round=open_round, closes_at=open_round.closes_at, expires_on=later, actor=personas[Role.ADMIN]
    )
    open_round.refresh_from_db()
    assert open_round.expires_on == later


@pytest.mark.django_db(transaction=True)
def test_two_admins_opening_rounds_at_once_leave_one(group, personas):
    admin = personas[Role.ADMIN]
    terms = services.terms_issue(terms=_draft(group, admin), actor=admin)
    expires = date.today() + timedelta(days=400)
    errors = run_together(
        [
            lambda d=d: services.mandate_open(
                terms=terms, closes_at=_later(d), expires_on=expires, actor=admin
            )
            for d in range(3, 9)
        ],
        refusals=(services.GovernanceError,),
    )
    assert errors == []
    assert MandateRound.objects.filter(group=group).count() == 1
    assert AuditEntry.objects.filter(action="governance.mandate.opened").count() == 1


# Replays ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_mandate_answer_posted_twice_is_stored_once(client, group, open_round, area, signatories):
    from gpvoice.governance.models import MandateAnswer

    practice = area["practices"][0]
    client.force_login(signatories[0])
    body = {"practice": practice.ods_code, "answer": "agree"}
    for _ in range(2):
        assert client.post(f"/g/{group.slug}/mandate/", body).status_code == 302
    assert MandateAnswer.objects.filter(round=open_round, practice=practice).count() == 1
    assert AuditEntry.objects.filter(action="governance.mandate.answered").count() == 1
    # A real change afterwards is still recorded, and so is changing back.
    for answer in ("decline", "agree"):
        client.post(f"/g/{group.slug}/mandate/", {**body, "answer": answer})
    assert MandateAnswer.objects.filter(round=open_round, practice=practice).count() == 3


# Pages --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_admin_extends_ratification_through_the_page(client, group, personas, strong_login, open_round):
    strong_login(client, personas[Role.ADMIN])
    assert "Extend ratification" in client.get(f"/g/{group.slug}/mandate/").content.decode()
    closes = (open_round.closes_at + timedelta(days=7)).date()
    data = {"closes_on": closes.isoformat(), "expires_on": open_round.expires_on.isoformat()}
    assert client.post(f"/g/{group.slug}/mandate/extend/", data).status_code == 302
    open_round.refresh_from_db()
    assert timezone.localtime(open_round.closes_at).date() == closes


@pytest.mark.django_db
def test_shortening_through_the_page_shows_the_refusal_and_changes_nothing(
    client, group, personas, strong_login, open_round, unchanged
):
    strong_login(client, personas[Role.ADMIN])
    data = {"closes_on": date.today().isoformat(), "expires_on": open_round.expires_on.isoformat()}
    with unchanged():
        response = client.post(f"/g/{group.slug}/mandate/extend/", data)
    assert response.status_code == 200 and "can only move later" in response.content.decode()


@pytest.mark.django_db
def test_an_admin_changes_the_settings_through_the_page(client, group, personas, strong_login):
    strong_login(client, personas[Role.ADMIN])
    page = client.get(f"/g/{group.slug}/governance/settings/").content.decode()
    assert "more than 50.0%" in page and "Practice manager" in page and "System clinical lead" not in page
    data = {
        "practices_share_num": "2",
        "practices_share_den": "3",
        "patients_share_num": "1",
        "patients_share_den": "2",
        "extra_eligible_roles": ["practice_manager"],
        "delegation_grace_days": "14",
    }
    assert client.post(f"/g/{group.slug}/governance/settings/", data).status_code == 302
    saved = settings_for(group=group)
    assert (saved.practices_share_num, saved.extra_eligible_roles, saved.delegation_grace_days) == (
        2,
        ["practice_manager"],
        14,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"practices_share_num": "3"}, "less than all"),
        ({"patients_share_num": "0"}, "more than none"),
        ({"extra_eligible_roles": ["system_clinical_lead"]}, "Select a valid choice"),
        ({"delegation_grace_days": "9999"}, "0 to 365"),
        ({"delegation_grace_days": "1\x00"}, "Enter a whole number"),
    ],
)
def test_bad_settings_through_the_page_change_nothing(
    client, group, personas, strong_login, unchanged, changes, message
):
    strong_login(client, personas[Role.ADMIN])
    data = {
        "practices_share_num": "1",
        "practices_share_den": "2",
        "patients_share_num": "1",
        "patients_share_den": "2",
        "delegation_grace_days": "30",
        **changes,
    }
    with unchanged():
        response = client.post(f"/g/{group.slug}/governance/settings/", data)
    assert response.status_code == 200 and message in response.content.decode()
