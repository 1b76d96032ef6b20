"""Sign-up, verification, login, passwords, and the team's approval queue."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from campaign.accounts import notifications, services
from campaign.accounts.forms import (
    ApprovedDomainForm,
    DecisionForm,
    EmailForm,
    LoginForm,
    ReminderForm,
    ResetPasswordForm,
    SignUpForm,
)
from campaign.accounts.models import ApprovedDomain, User, UserStatus
from campaign.core import mail, tokens
from campaign.core.auth import team_required
from campaign.core.errors import DomainError
from campaign.core.forms import EmptyForm
from campaign.core.urls import safe_next
from campaign.extensions import db
from campaign.reference.models import Municipality
from campaign.reference.services import municipalities_by_province

bp = Blueprint("accounts", __name__, url_prefix="/account")


def _municipality_choices() -> list[SelectChoice]:
    return [
        SelectChoice(m.id, m.name_nl, optgroup=province.name_nl)
        for province, municipalities in municipalities_by_province()
        for m in municipalities
    ]


def _commit_and_send(*queued: mail.OutboxMail) -> None:
    db.session.commit()
    mail.deliver_if_immediate(list(queued))


def _mail_quota_ok(recipient: str) -> bool:
    """Count a request that sends mail; False (with the reason flashed) past the limits."""
    config = current_app.config
    limits = services.MailLimits(
        per_address=config["MAIL_REQUESTS_PER_ADDRESS"],
        per_recipient=config["MAIL_REQUESTS_PER_RECIPIENT"],
        window=config["MAIL_REQUEST_WINDOW"],
    )
    try:
        services.check_mail_quota(recipient, address=request.remote_addr or "-", limits=limits)
    except services.TooManyAttempts as error:
        db.session.commit()
        flash(str(error), "error")
        return False
    return True


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("site.index"))
    form = SignUpForm()
    form.municipality.choices = _municipality_choices()
    if form.validate_on_submit() and _mail_quota_ok(form.email.data):
        try:
            user = services.sign_up(
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                municipality_id=form.municipality.data,
                locale=str(get_locale()),
            )
        except services.EmailTaken:
            # The same answer as for a new account, so that nobody learns which addresses
            # have one; the owner gets a mail instead.
            existing = services.find_by_email(form.email.data)
            _commit_and_send(notifications.queue_account_exists(existing))
            return redirect(url_for("accounts.signup_done"))
        except DomainError as error:
            form.municipality.errors.append(str(error))
        else:
            _commit_and_send(notifications.queue_verification(user))
            return redirect(url_for("accounts.signup_done"))
    return render_template("accounts/signup.html", form=form)


@bp.route("/signup/done")
def signup_done() -> str:
    return render_template("accounts/signup_done.html", form=EmailForm())


@bp.route("/verify/<token>")
def verify(token: str) -> str | tuple[str, int]:
    try:
        user = notifications.user_from_verification_token(token)
    except tokens.TokenExpired:
        return render_template("accounts/verify.html", outcome="expired", form=EmailForm()), 400
    except tokens.TokenInvalid:
        return render_template("accounts/verify.html", outcome="invalid", form=EmailForm()), 400
    approved = services.verify_email(user)
    queued = [notifications.queue_decision(user)] if approved else []
    _commit_and_send(*queued)
    outcome = "approved" if user.is_active else ("pending" if user.status == UserStatus.PENDING else "other")
    return render_template("accounts/verify.html", outcome=outcome, user=user)


@bp.route("/verify/resend", methods=["POST"])
def resend_verification() -> Response:
    form = EmailForm()
    if form.validate_on_submit():
        if _mail_quota_ok(form.email.data):
            user = services.find_by_email(form.email.data)
            if services.needs_verification(user):
                _commit_and_send(notifications.queue_verification(user))
            else:
                db.session.commit()
            flash(_("If an unconfirmed account exists for this address, we have sent a new link."), "info")
    else:
        flash(_("Fill in a valid e-mail address, like name@municipality.be."), "error")
    return redirect(url_for("accounts.signup_done"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("site.index"))
    form = LoginForm()
    status, code = None, 200
    if form.validate_on_submit():
        config = current_app.config
        limits = services.LoginLimits(
            per_account_and_address=config["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
            per_address=config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
            per_account=config["LOGIN_MAX_FAILURES_ACCOUNT_TOTAL"],
            window=config["LOGIN_FAILURE_WINDOW"],
        )
        try:
            user = services.authenticate(
                form.email.data, form.password.data, address=request.remote_addr or "-", limits=limits
            )
        except services.AccountNotActive as error:
            form.form_errors.append(str(error))
            status = error.status
        except services.TooManyAttempts as error:
            form.form_errors.append(str(error))
            code = 429
        except DomainError as error:
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
        db.session.commit()  # keep the failed attempt on record
    return render_template("accounts/login.html", form=form, status=status, resend_form=EmailForm()), code


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        flash(_("You are logged out."), "info")
    return redirect(url_for("site.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password() -> str | Response:
    form = EmailForm()
    if form.validate_on_submit():
        if not _mail_quota_ok(form.email.data):
            return render_template("accounts/forgot_password.html", form=form), 429
        user = services.find_by_email(form.email.data)
        if services.may_reset_password(user):
            _commit_and_send(notifications.queue_password_reset(user))
        else:
            db.session.commit()
        flash(_("If an account exists for this address, we have sent a link to choose a new password."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    try:
        user = notifications.user_from_reset_token(token)
    except tokens.TokenInvalid:
        return render_template("accounts/reset_password.html", form=None), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        # The reset link proves the address as well.
        approved = services.verify_email(user) if services.needs_verification(user) else False
        _commit_and_send(*([notifications.queue_decision(user)] if approved else []))
        logout_user()
        flash(_("Your password has been changed. Log in with your new password."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


# The campaign team: approval queue and allow-listed domains.


@bp.route("/approvals")
@team_required
def approvals() -> str:
    return render_template("accounts/approvals.html", users=services.pending_users(), form=DecisionForm())


@bp.route("/approvals/<int:user_id>/<any(approve, reject):decision>", methods=["POST"])
@team_required
def decide(user_id: int, decision: str) -> Response:
    user = db.session.get(User, user_id) or abort(404)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("The reason can be at most 1000 characters."), "error")
        return redirect(url_for("accounts.approvals"))
    try:
        if decision == "approve":
            services.approve(user, by=current_user)
        else:
            services.reject(user, by=current_user, reason=form.reason.data or "")
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("accounts.approvals"))
    _commit_and_send(notifications.queue_decision(user))
    if decision == "approve":
        flash(_("%(name)s can now log in.", name=user.name), "success")
    else:
        flash(_("The request of %(name)s was rejected.", name=user.name), "info")
    return redirect(url_for("accounts.approvals"))


@bp.route("/domains", methods=["GET", "POST"])
@team_required
def domains() -> str | Response:
    form = ApprovedDomainForm()
    form.municipality.choices = _municipality_choices()
    if form.validate_on_submit():
        municipality = db.session.get(Municipality, form.municipality.data) or abort(404)
        try:
            services.add_approved_domain(municipality, domain=form.domain.data, by=current_user)
        except DomainError as error:
            form.domain.errors.append(str(error))
        else:
            db.session.commit()
            flash(
                _(
                    "Officers of %(name)s with an address at %(domain)s are now approved automatically.",
                    name=municipality.name_nl,
                    domain=form.domain.data,
                ),
                "success",
            )
            return redirect(url_for("accounts.domains"))
    return render_template(
        "accounts/domains.html", form=form, domains=services.approved_domains(), delete_form=EmptyForm()
    )


@bp.route("/domains/<int:domain_id>/delete", methods=["POST"])
@team_required
def delete_domain(domain_id: int) -> Response:
    approved = db.session.get(ApprovedDomain, domain_id) or abort(404)
    if EmptyForm().validate_on_submit():
        services.remove_approved_domain(approved)
        db.session.commit()
        flash(_("The domain was removed from the list."), "info")
    return redirect(url_for("accounts.domains"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile() -> str | Response:
    form = ReminderForm(reminders=not current_user.reminders_opt_out)
    if form.validate_on_submit():
        current_user.reminders_opt_out = not form.reminders.data
        db.session.commit()
        if form.reminders.data:
            flash(_("You will get reminders again."), "info")
        else:
            flash(
                _("You will no longer get reminders. Mails you ask for, such as a password reset, still arrive."),
                "info",
            )
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", reminder_form=form)
