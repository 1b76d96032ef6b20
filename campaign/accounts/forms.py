from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, ValidationError

from campaign.core.forms import MinPasswordLength, max_length, password_hint, strip

_email = [
    DataRequired(_l("Fill in your e-mail address.")),
    Email(_l("Fill in a valid e-mail address, like name@municipality.be."), check_deliverability=False),
    max_length(320),
]


class SignUpForm(FlaskForm):
    name = StringField(_l("Your name"), [DataRequired(_l("Fill in your name.")), max_length(120)], filters=[strip])
    email = EmailField(_l("Work e-mail address"), _email, filters=[strip])
    municipality = SelectField(
        _l("Your municipality"),
        coerce=int,
        validators=[InputRequired(_l("Choose your municipality from the list."))],
        invalid_value_message=_l("Choose your municipality from the list."),
        invalid_choice_message=_l("Choose your municipality from the list."),
    )
    password = PasswordField(_l("Password"), [DataRequired(_l("Choose a password.")), MinPasswordLength()])
    password_confirm = PasswordField(
        _l("Repeat the password"),
        [DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords are not the same."))],
    )
    works_for_municipality = BooleanField(
        _l("I work for this municipality and will take part in the campaign on its behalf."),
        [DataRequired(_l("Confirm that you work for this municipality."))],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.municipality.choices = []
        self.password.description = password_hint()


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), _email, filters=[strip])
    password = PasswordField(_l("Password"), [DataRequired(_l("Fill in your password."))])
    remember = BooleanField(_l("Keep me logged in on this device"))


class EmailForm(FlaskForm):
    email = EmailField(_l("E-mail address"), _email, filters=[strip])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), [DataRequired(_l("Choose a password.")), MinPasswordLength()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.password.description = password_hint()

    password_confirm = PasswordField(
        _l("Repeat the new password"),
        [DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords are not the same."))],
    )


class DecisionForm(FlaskForm):
    """Approve or reject a pending officer; the reason goes into the rejection mail."""

    reason = TextAreaField(_l("Reason (sent to the applicant)"), [max_length(1000)], filters=[strip])


class ReminderForm(FlaskForm):
    reminders = BooleanField(_l("Send me reminders about deadlines and the campaign kit"))


class ApprovedDomainForm(FlaskForm):
    municipality = SelectField(
        _l("Municipality"),
        coerce=int,
        validators=[InputRequired(_l("Choose a municipality."))],
        invalid_value_message=_l("Choose a municipality from the list."),
        invalid_choice_message=_l("Choose a municipality from the list."),
    )
    domain = StringField(
        _l("E-mail domain"),
        [DataRequired(_l("Fill in a domain, like gent.be.")), max_length(255)],
        filters=[strip],
        description=_l("Everything after the @, for example gent.be."),
    )

    def validate_domain(self, field: StringField) -> None:
        value = (field.data or "").lower().lstrip("@")
        labels = value.split(".")
        if len(labels) < 2 or not all(
            label and len(label) <= 63 and all(c.isalnum() or c == "-" for c in label) for label in labels
        ):
            raise ValidationError(_l("Fill in a domain, like gent.be."))
        field.data = value
