"""nlu_components/language_fallback_classifier.py: Rasa's FallbackClassifier with the thresholds of
the message's own language."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY

from nlu_components.language_fallback_classifier import LanguageAwareFallbackClassifier
from tests.unit.helpers import ranked_message

# Shaped like config.yml, with values chosen for the test (config.yml's are tuned and may change).
CONFIG = {
    "threshold": 0.25,
    "ambiguity_threshold": 0.02,
    "per_language": {
        "en": {"threshold": 0.1, "ambiguity_threshold": 0.05},
        "sk": {"threshold": 0.4},
        "fi": {"threshold": 0.3, "ambiguity_threshold": 0.02},
    },
}


def classify(*messages):
    config = {**LanguageAwareFallbackClassifier.get_default_config(), **CONFIG}
    return LanguageAwareFallbackClassifier.create(config, None, None, None).process(list(messages))


def intent_of(message) -> str:
    return message.get(INTENT)["name"]


@pytest.mark.parametrize("language, expected", [("en", "ask_pay"), ("fi", "ask_pay"), ("sk", "nlu_fallback")])
def test_the_threshold_is_the_messages_languages(language, expected):
    (message,) = classify(ranked_message("...", [("ask_pay", 0.35), ("ask_cost", 0.1)], language=language))
    assert intent_of(message) == expected


def test_the_fallback_takes_the_languages_threshold_as_confidence_and_keeps_the_ranking():
    (message,) = classify(ranked_message("...", [("ask_pay", 0.35), ("ask_cost", 0.1)], language="sk"))
    assert message.get(INTENT) == {"name": "nlu_fallback", "confidence": 0.4}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["nlu_fallback", "ask_pay", "ask_cost"]


@pytest.mark.parametrize("language, expected", [("en", "nlu_fallback"), ("fi", "ask_pay"), ("sv", "ask_pay")])
def test_the_ambiguity_threshold_is_the_messages_languages_too(language, expected):
    (message,) = classify(ranked_message("...", [("ask_pay", 0.5), ("ask_cost", 0.46)], language=language))
    assert intent_of(message) == expected


def test_a_language_without_its_own_settings_uses_the_defaults():
    # sv is not configured: 0.25 applies, below en's 0.1 and sk's 0.4.
    low, high = classify(
        ranked_message("...", [("ask_pay", 0.2)], language="sv"),
        ranked_message("...", [("ask_pay", 0.3)], language="sv"),
    )
    assert (intent_of(low), intent_of(high)) == ("nlu_fallback", "ask_pay")


def test_a_setting_the_language_leaves_out_comes_from_the_defaults():
    # sk sets only its threshold: the ambiguity threshold is the default 0.02.
    (message,) = classify(ranked_message("...", [("ask_pay", 0.5), ("ask_cost", 0.47)], language="sk"))
    assert intent_of(message) == "ask_pay"


def test_each_message_of_a_batch_is_judged_in_its_own_language():
    messages = classify(
        ranked_message("...", [("ask_pay", 0.35)], language="en"),
        ranked_message("...", [("ask_pay", 0.35)], language="sk"),
        ranked_message("...", [("ask_pay", 0.35)], language="fi"),
    )
    assert [intent_of(m) for m in messages] == ["ask_pay", "nlu_fallback", "ask_pay"]


def test_a_message_without_language_scores_is_judged_by_the_default_languages_thresholds():
    (message,) = classify(ranked_message("...", [("ask_pay", 0.15)]))
    assert intent_of(message) == "ask_pay"  # en: 0.1, not the default 0.25


def test_the_real_pipeline_configures_every_language():
    import yaml

    from faq.protocol import SUPPORTED_LANGUAGES
    from tests.conftest import PROJECT

    pipeline = yaml.safe_load((PROJECT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    (component,) = [c for c in pipeline if c["name"].endswith("LanguageAwareFallbackClassifier")]
    assert set(component["per_language"]) == set(SUPPORTED_LANGUAGES)
    assert all(0 < settings["threshold"] < 1 for settings in component["per_language"].values())
