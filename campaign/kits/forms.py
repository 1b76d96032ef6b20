from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField
from wtforms.validators import DataRequired, Regexp, ValidationError

from campaign.core.colour import contrast_ratio
from campaign.core.forms import max_length, strip

HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


class VisualForm(FlaskForm):
    primary = StringField(
        _l("Main colour (for bands and headings)"),
        [DataRequired(_l("Choose a colour.")), Regexp(HEX, message=_l("Give a colour as #RRGGBB, like #1F4E3D."))],
        filters=[strip],
        description=_l("White text must stay readable on it (contrast of at least 4.5 to 1)."),
    )
    accent = StringField(
        _l("Accent colour"),
        [DataRequired(_l("Choose a colour.")), Regexp(HEX, message=_l("Give a colour as #RRGGBB, like #1F4E3D."))],
        filters=[strip],
    )
    headline = StringField(_l("Headline"), [DataRequired(_l("Fill in a headline.")), max_length(120)], filters=[strip])
    hashtags = StringField(
        _l("Hashtags"),
        [DataRequired(_l("Fill in at least one hashtag.")), max_length(200)],
        filters=[strip],
        description=_l("Separated by spaces, for example #DuurzameGemeente #SDGs."),
    )
    logo = FileField(_l("Campaign logo (PNG with a transparent background, optional)"))

    def validate_primary(self, field: StringField) -> None:
        if HEX.match(field.data or "") and contrast_ratio(field.data, "#FFFFFF") < 4.5:
            raise ValidationError(
                _l(
                    "White text on this colour is hard to read (contrast %(ratio).1f to 1). Choose a darker colour.",
                    ratio=contrast_ratio(field.data, "#FFFFFF"),
                )
            )

    def validate_hashtags(self, field: StringField) -> None:
        tags = (field.data or "").split()
        if not tags or any(not re.fullmatch(r"#\w{2,40}", tag) for tag in tags):
            raise ValidationError(_l("Write each hashtag as # followed by letters or digits, separated by spaces."))
