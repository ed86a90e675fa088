"""Demo sounding board: a practice's plan with its review returned (to read), and a second plan in
review (for the demo core member to return), made through the services as people would."""

from __future__ import annotations

from gpvoice.accounts.models import User
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Person
from gpvoice.soundingboard import selectors, services
from gpvoice.soundingboard.models import Submission

from .meetings_demo import PAPER

PLAN = """## What we plan
Three practices in the PCN share an **extended access hub** on Saturday mornings from April,
staffed on a rota, with a shared appointment book.

## What we want the reviewers to look at
- Is the funding case strong enough for the ICB?
- What would the CQC ask about clinical governance across three practices?
"""
REVIEW = {
    "funder": "The case rests on activity you have not yet measured: show last winter's Saturday demand.",
    "commissioner": "",
    "regulator": "Set out who is the registered manager for the hub and how incidents are shared.",
    "strengths": "A clear need and practices that already work together.",
    "weaknesses": "No costs for the rota or the shared IT; no plan for a practice that leaves.",
    "questions": "Who staffs a Saturday when a practice cannot?\n\nWhere are records kept?",
}


def load_soundingboard(group: LeadershipGroup) -> None:
    if Submission.objects.filter(group=group).exists():
        return  # loaded before
    admin = User.objects.get(email=f"admin@{group.slug}.example.nhs.uk")
    staff = User.objects.get(email=f"practice.staff@{group.slug}.example.nhs.uk")
    reviewer = User.objects.get(email=f"core@{group.slug}.example.nhs.uk")
    organisations = selectors.submitting_organisations(group=group, user=staff)
    if not organisations:
        return
    if not Person.objects.filter(user=reviewer).exists():
        Person.objects.create(full_name=reviewer.full_name, email=reviewer.email, user=reviewer)

    def submit(title: str, plan: str, perspectives: list[str]) -> Submission:
        submission = services.submission_create(
            group=group,
            organisation=organisations[0],
            title=title,
            plan=plan,
            perspectives=perspectives,
            files=[("Hub business case.pdf", PAPER)],
            actor=staff,
        )
        services.reviewer_assign(submission=submission, email=reviewer.email, override_reason="", actor=admin)
        return submission

    returned = submit("Saturday extended access hub", PLAN, ["funder", "regulator"])
    services.review_return(submission=returned, answers=REVIEW, actor=reviewer)
    submit("Merging our two branch surgeries", "We plan to close the smaller branch and...", ["commissioner"])
