"""User-facing names of the action enumerations."""

from flask_babel import lazy_gettext as _l

from campaign.actions.models import ActionType, Audience

ACTION_TYPES = {
    ActionType.PUBLIC_EVENT: _l("Public event"),
    ActionType.AWARENESS_CAMPAIGN: _l("Awareness campaign"),
    ActionType.INTERNAL_ACTION: _l("Internal action (for staff)"),
    ActionType.POLICY_MEASURE: _l("Policy measure"),
    ActionType.EDUCATION: _l("Education or school project"),
    ActionType.PARTNERSHIP: _l("Partnership"),
    ActionType.OTHER: _l("Other"),
}

AUDIENCES = {
    Audience.GENERAL_PUBLIC: _l("All residents"),
    Audience.FAMILIES: _l("Families with children"),
    Audience.YOUTH: _l("Young people"),
    Audience.SCHOOLS: _l("Schools"),
    Audience.SENIORS: _l("Older people"),
    Audience.BUSINESSES: _l("Businesses"),
    Audience.ASSOCIATIONS: _l("Associations"),
    Audience.STAFF: _l("Municipal staff"),
    Audience.POLICY_MAKERS: _l("Council and policy makers"),
}

EFFECTS = {1: _l("Positive"), 0: _l("Neutral"), -1: _l("Negative")}
