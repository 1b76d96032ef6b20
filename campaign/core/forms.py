"""Form helpers shared by every feature."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, Form, IntegerField, SelectMultipleField
from wtforms.validators import Length, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class MinPasswordLength:
    """Password length from config (PASSWORD_MIN_LENGTH)."""

    def __call__(self, form: Form, field: Field) -> None:
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        if field.data and len(field.data) < minimum:
            raise ValidationError(_l("Choose a password of at least %(n)d characters.", n=minimum))


_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\n\r\t")


def password_hint() -> Any:
    return _l(
        "At least %(n)d characters. A sentence of a few words is strong and easy to remember.",
        n=current_app.config["PASSWORD_MIN_LENGTH"],
    )


def strip(value: Any) -> Any:
    """Trim text and drop control characters (a NUL byte would break PostgreSQL)."""
    return value.translate(_CONTROL).strip() if isinstance(value, str) else value


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("Use at most %(max)d characters."))


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


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("invalid_value_message", _l("Choose from the list."))
        kwargs.setdefault("invalid_choice_message", _l("Choose from the list."))
        super().__init__(*args, **kwargs)


def read_upload(field: Field) -> bytes | None:
    """The bytes of an uploaded file, or None when no file was chosen."""
    storage = field.data
    if storage is None or not getattr(storage, "filename", ""):
        return None
    return storage.read()


DATE_MESSAGE = _l("Fill in a date as dd/mm/yyyy.")


class LocalDateField(DateField):
    """A date as the browser's date picker sends it, or as typed in Belgium (dd/mm/yyyy)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(DATE_MESSAGE)) from error
