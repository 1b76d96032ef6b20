"""The step plan (stappenplan): a registration's progress, computed from the data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from campaign.editions.models import Edition
from campaign.heroes import services as hero_services
from campaign.kits import services as kit_services
from campaign.registrations.models import Registration, Track


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    title: str
    done: bool
    available: bool
    deadline: date | None
    tip: str
    detail: str = ""

    def days_left(self, today: date) -> int | None:
        return None if self.deadline is None else (self.deadline - today).days


TITLES = {
    "registered": _l("Register the municipality"),
    "hero": _l("Add at least one hero"),
    "consent": _l("Complete the consent of every hero"),
    "kit": _l("Download the campaign kit"),
    "flag": _l("Upload a photo of the raised SDG flag"),
    "evaluation": _l("Fill in the evaluation"),
}

TIPS = {
    ("registered", Track.STARTER): _l("Register early: then you get every mail about the kit and the posters."),
    ("registered", Track.ADVANCED): _l("Link your registration to the SDG goals in your multi-year plan."),
    ("hero", Track.STARTER): _l("Start with one or two heroes: a volunteer, a local shop, a school project."),
    ("hero", Track.ADVANCED): _l("Choose one hero for each focus SDG, and link heroes to your own actions."),
    ("consent", Track.STARTER): _l("Ask every hero for consent for web, print, social media and press at once."),
    ("consent", Track.ADVANCED): _l("Keep the signed consent forms as proof, and upload them with the consent."),
    ("kit", Track.STARTER): _l("Print the hero posters and share the social-media images during the week."),
    ("kit", Track.ADVANCED): _l("Plan when each hero appears in your channels during the week."),
    ("flag", Track.STARTER): _l("Raise the SDG flag on 25 September, take a photo and upload it here."),
    ("flag", Track.ADVANCED): _l("Raise the SDG flag together with your council or partners, and share the photo."),
    ("evaluation", Track.STARTER): _l("A short evaluation helps VVSG improve the campaign."),
    ("evaluation", Track.ADVANCED): _l("Use the evaluation to report on the effects for your own SDG policy."),
}


def deadlines(edition: Edition) -> dict[str, date]:
    """The deadline of each step. The monitoring pages use the same ones."""
    return {
        "registered": edition.registration_deadline,
        "hero": edition.hero_deadline,
        "consent": edition.hero_deadline,
        "kit": edition.week_start - timedelta(days=1),
        "flag": edition.week_end + timedelta(days=7),
        "evaluation": edition.evaluation_deadline,
    }


def step_plan(registration: Registration, *, today: date) -> list[Step]:
    """The six steps of the registration, each with its deadline and a tip for its track."""
    edition = registration.edition
    due = deadlines(edition)
    track = registration.track
    heroes = hero_services.heroes_of(registration)
    complete = sum(1 for h in heroes if h.consent and h.consent.is_complete(today))
    downloaded = kit_services.first_download(registration)

    def step(
        number: int, key: str, *, done: bool, deadline: date | None, available: bool = True, detail: str = ""
    ) -> Step:
        return Step(
            number=number,
            key=key,
            title=str(TITLES[key]),
            done=done,
            available=available,
            deadline=deadline,
            tip=str(TIPS[(key, track)]),
            detail=detail,
        )

    return [
        step(1, "registered", done=registration.is_active, deadline=due["registered"]),
        step(
            2,
            "hero",
            done=bool(heroes),
            deadline=due["hero"],
            detail=str(
                _l("%(count)d of %(planned)d heroes entered", count=len(heroes), planned=registration.heroes_planned)
            ),
        ),
        step(
            3,
            "consent",
            done=bool(heroes) and complete == len(heroes),
            deadline=due["consent"],
            detail=str(
                _l("%(complete)d of %(count)d heroes with complete consent", complete=complete, count=len(heroes))
            ),
        ),
        # The kit itself comes with the kits feature; its download is already recorded.
        step(4, "kit", done=downloaded is not None, deadline=due["kit"]),
        step(5, "flag", done=registration.flag_photo_id is not None, deadline=due["flag"]),
        step(
            6,
            "evaluation",
            done=registration.evaluation_submitted_at is not None,
            deadline=due["evaluation"],
            available=today > edition.week_end,  # from the day after the week (reports.survey)
        ),
    ]
