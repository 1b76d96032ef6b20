"""Monitoring forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField


class HistoryForm(FlaskForm):
    file = FileField(_l("CSV file with the columns jaar and nis_code"))
