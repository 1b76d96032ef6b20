from campaign.actions import sdg_check
from campaign.reference.models import PILLAR_NAMES_NL, Pillar


def rated(number, pillar, effect, reason="omdat"):
    return sdg_check.RatedSdg(number=number, name=f"SDG {number}", pillar=pillar, effect=effect, reason=reason)


def test_summary_counts_the_balance_and_the_pillars_not_covered():
    summary = sdg_check.summarize(
        [rated(12, Pillar.PLANET, 1), rated(11, Pillar.PROSPERITY, 1), rated(13, Pillar.PLANET, -1)],
        pillar_names=PILLAR_NAMES_NL,
    )
    assert (summary.positive, summary.neutral, summary.negative) == (2, 0, 1)
    assert summary.balance == 1
    assert summary.covered_pillars == [Pillar.PLANET, Pillar.PROSPERITY]
    assert summary.missing_pillars == [Pillar.PEOPLE, Pillar.PEACE, Pillar.PARTNERSHIP]
    assert summary.complete


def test_negative_effect_gets_concrete_dutch_advice(app):
    with app.test_request_context():
        summary = sdg_check.summarize([rated(13, Pillar.PLANET, -1)], pillar_names=PILLAR_NAMES_NL)
        advice = " ".join(summary.advice)
    assert "Negatief effect op SDG 13" in advice
    assert "fietsenstallingen" in advice  # the tip for climate action
    assert "Mensen" in advice  # a pillar not covered


def test_unrated_and_unexplained_effects_are_flagged(app):
    with app.test_request_context():
        summary = sdg_check.summarize(
            [rated(3, Pillar.PEOPLE, None), rated(4, Pillar.PEOPLE, 1, reason=" ")], pillar_names=PILLAR_NAMES_NL
        )
    assert summary.unrated == 1
    assert not summary.complete
    assert any("SDG 3" in line for line in summary.advice)
    assert any("SDG 4" in line for line in summary.advice)


def test_suggestions_come_from_the_dutch_text():
    suggestions = sdg_check.suggest(
        "Repair Café: vrijwilligers herstellen kapotte toestellen, zo gaat minder afval naar de verbrandingsoven. "
        "Met herbruikbare bekers en compost."
    )
    assert suggestions[0].number == 12
    assert len(suggestions) <= 3
    assert "herstel" in suggestions[0].matches


def test_suggestions_fold_accents_and_match_phrases():
    suggestions = sdg_check.suggest("Een energiecooperatie met zonnepanelen en een warmtepomp voor iedereen")
    assert suggestions[0].number == 7


def test_no_suggestions_for_unrelated_text():
    assert sdg_check.suggest("Xylofoon qwerty") == []


def test_every_sdg_has_keywords_and_tips():
    lexicon = sdg_check.lexicon()
    assert sorted(lexicon) == list(range(1, 18))
    for entry in lexicon.values():
        assert len(entry["keywords"]) >= 10
        assert entry["tip_nl"] and entry["tip_en"]
