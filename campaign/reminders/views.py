"""The team's reminder page: the rules of the current edition with their days, audiences and
sends; pause and resume; a preview of each mail."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from campaign.core import clock, mail
from campaign.core.auth import team_required
from campaign.core.forms import EmptyForm
from campaign.editions import services as edition_services
from campaign.extensions import db
from campaign.reference.models import Province
from campaign.registrations.services import local_date
from campaign.reminders import mailings as mailing_services
from campaign.reminders import services
from campaign.reminders.forms import MailingForm
from campaign.reminders.mailings import AUDIENCES

bp = Blueprint("reminders", __name__)


def _edition():
    edition = edition_services.current_edition()
    if edition is None:
        abort(404)
    return edition


@bp.route("/team/reminders")
@team_required
def index() -> str:
    edition = edition_services.current_edition()
    today = local_date(clock.now())
    plans = services.plans(edition, today=today) if edition else []
    return render_template("reminders/index.html", edition=edition, plans=plans, today=today, form=EmptyForm())


@bp.route("/team/reminders/<rule_key>/<any(pause, resume):action>", methods=["POST"])
@team_required
def switch(rule_key: str, action: str) -> Response:
    rule = services.rule_or_none(rule_key)
    if rule is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        services.set_paused(rule, action == "pause", by=current_user)
        db.session.commit()
        if action == "pause":
            flash(
                _("The reminder “%(rule)s” is paused: it sends nothing until you resume it.", rule=rule.title), "info"
            )
        else:
            flash(_("The reminder “%(rule)s” is active again.", rule=rule.title), "info")
    return redirect(url_for("reminders.index"))


@bp.route("/team/reminders/<rule_key>/preview")
@team_required
def preview(rule_key: str) -> str:
    rule = services.rule_or_none(rule_key)
    if rule is None:
        abort(404)
    edition = _edition()
    shown = services.preview(rule, edition, today=local_date(clock.now()), reader=current_user)
    return render_template("reminders/preview.html", rule=rule, edition=edition, preview=shown)


@bp.route("/team/mail/failed")
@team_required
def failures() -> str:
    """Outbox mail whose last attempt failed, with the error, and mail whose sending was never
    confirmed by the server, for the team to send again (or, when it did arrive, to close)."""
    now = clock.now()
    newest = (mail.OutboxMail.id.desc(),)
    failed = db.session.scalars(
        db.select(mail.OutboxMail).where(mail.OutboxMail.status == mail.MailStatus.FAILED).order_by(*newest).limit(200)
    ).all()
    unconfirmed = db.session.scalars(
        db.select(mail.OutboxMail).where(mail.unconfirmed(now)).order_by(*newest).limit(200)
    ).all()
    return render_template(
        "reminders/failures.html",
        mails=failed,
        unconfirmed=unconfirmed,
        max_attempts=mail.MAX_ATTEMPTS,
        form=EmptyForm(),
    )


@bp.route("/team/mail/<int:mail_id>/<any(resend, arrived):decision>", methods=["POST"])
@team_required
def decide(mail_id: int, decision: str) -> Response:
    """Send a failed or unconfirmed mail again, or record that an unconfirmed one arrived."""
    outgoing = db.session.get(mail.OutboxMail, mail_id)
    if outgoing is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        now = clock.now()
        address = outgoing.to_address
        if decision == "resend" and mail.send_again(mail_id, now=now):
            db.session.commit()
            mail.deliver_if_immediate([outgoing])
            flash(_("The mail to %(address)s goes out again.", address=address), "success")
        elif decision == "arrived" and mail.mark_arrived(mail_id, now=now):
            db.session.commit()
            flash(_("The mail to %(address)s is recorded as arrived.", address=address), "success")
        else:
            db.session.rollback()
            flash(_("This mail was already sent or is being sent: nothing was changed."), "error")
    return redirect(url_for("reminders.failures"))


def _mailing_form() -> MailingForm:
    form = MailingForm()
    form.province.choices = [SelectChoice("", _("All of Flanders"))] + [
        SelectChoice(str(province.id), province.name(str(get_locale() or "nl")))
        for province in db.session.scalars(db.select(Province).order_by(Province.name_nl))
    ]
    return form


@bp.route("/team/mailings", methods=["GET", "POST"])
@team_required
def mailings() -> str | Response:
    """Write a mailing, preview it with its number of recipients, then send it."""
    edition = _edition()
    form = _mailing_form()
    shown = None
    if form.validate_on_submit():
        province_id = int(form.province.data) if form.province.data else None
        reach = mailing_services.reach(edition, form.audience.data, province_id)
        if request.form.get("action") == "send" and reach.people:
            sent = mailing_services.send(
                edition,
                audience=form.audience.data,
                province_id=province_id,
                subject=form.subject.data,
                body=form.body.data,
                by=current_user,
            )
            db.session.commit()
            flash(
                ngettext(
                    "The mailing is on its way to %(num)d person.",
                    "The mailing is on its way to %(num)d people.",
                    sent.recipients,
                ),
                "info",
            )
            return redirect(url_for("reminders.mailings"))
        text, _html = mailing_services.render(form.subject.data, form.body.data, current_user)
        shown = {"reach": reach, "text": text}
    return render_template(
        "reminders/mailings.html", form=form, preview=shown, sent=mailing_services.recent(), audiences=AUDIENCES
    )
