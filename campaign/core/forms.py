"""Form helpers shared by every feature."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, Form
from wtforms.validators import ValidationError


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
