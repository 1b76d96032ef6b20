"""Form helpers shared by every feature."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, Form, IntegerField
from wtforms.validators import StopValidation, ValidationError


class MinPasswordLength:
    """Password length from config (PASSWORD_MIN_LENGTH)."""

    def __call__(self, form: Form, field: Field) -> None:
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        if field.data and len(field.data) < minimum:
            raise ValidationError(_l("Choose a password of at least %(n)d characters.", n=minimum))


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def add_errors(form: Form, problems: dict[str, list[object]]) -> None:
    """Attach service-level field errors to a validated form."""
    for name, messages in problems.items():
        field = getattr(form, name, None)
        target = field.errors if field is not None else form.form_errors
        if isinstance(target, tuple):
            target = list(target)
            if field is not None:
                field.errors = target
        target.extend(messages)


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""


class WholeNumberField(IntegerField):
    """An integer field whose unreadable input gets the field's own message (``invalid_message``)
    instead of WTForms' generic one."""

    def __init__(self, *args: Any, invalid_message: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(self.invalid_message)) from error

    def pre_validate(self, form: Form) -> None:
        # A value that could not be read is reported once, not again by the validators.
        if self.process_errors:
            raise StopValidation()
