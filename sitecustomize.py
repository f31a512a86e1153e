"""Known warnings from dependencies, filtered in one place.

Python imports this module at start-up in every process started with the project folder on
PYTHONPATH (make, scripts/run.sh, the tests). Rasa 3.6 and the libraries it pins print
dozens of DeprecationWarnings on import (pyparsing, click, pkg_resources, SQLAlchemy 2.0
notices) and two UserWarnings that do not apply to this project; none of them is
actionable here, and they buried the one line that matters. Warnings raised by the
project's own modules are never filtered.
"""

import os
import warnings

# TensorFlow is imported by Rasa although no TensorFlow model runs; its start-up notices too.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

_OWN_PACKAGES = (
    r"(?!(?:actions|bench|channels|deploy|evaluation|faq|nlu_components|reporting|runtime|settings|tests)\b)"
)

warnings.filterwarnings("ignore", category=DeprecationWarning, module=_OWN_PACKAGES)
warnings.filterwarnings("ignore", category=PendingDeprecationWarning, module=_OWN_PACKAGES)
warnings.filterwarnings("ignore", category=FutureWarning, module=_OWN_PACKAGES)
# Slots are set by the actions (domain.yml); Rasa warns about the removed auto-fill anyway.
warnings.filterwarnings("ignore", message="Slot auto-fill has been removed", category=UserWarning)
# The lexicon extractor (nlu_components/) extracts entities; Rasa only looks for its own.
warnings.filterwarnings("ignore", message=".*no entity extractor", category=UserWarning)
