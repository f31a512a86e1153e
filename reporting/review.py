"""`make review`: turns unanswered questions into suggested training data, for a person to accept.

Reads the tracker store like `make report` (the same turns: fallbacks, not covered,
off-topic, unsure answers and "not helpful" ratings, masked as they are read), parses each
question again with the trained model, groups them by language and similarity, and writes
to the output folder:
- `suggested_nlu.yml`: Rasa NLU YAML, one block per proposed intent, each example with a
  comment naming its source turns;
- `uncovered.csv`: the questions no aspect fits, candidates for new knowledge entries;
- `review.html`: the groups with the proposed aspect and subject, the classifier's top
  three and their scores, and the command that accepts each group.
Nothing is merged. `accept GROUP` appends one group to data/nlu/<lang>/review_accepted.yml;
`make validate` and `make train` come next.

    python -m reporting.review [--db-url URL] [--out DIR] [--model FILE] [--low-confidence 0.5]
    python -m reporting.review accept GROUP [--intent ask_...] [--language xx] [--suggestions FILE]

This module is the command line: reporting.suggest groups and proposes,
reporting.review_files writes, reporting.accept accepts.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reporting.accept import AcceptError, accept
from reporting.collect import collect, default_db_url, stream_events
from reporting.render import _redact
from reporting.review_files import SUGGESTIONS_FILE, write_review_page, write_suggestions, write_uncovered
from reporting.suggest import NOT_COVERED, OFF_TOPIC, SUGGEST, UNSURE, Parser, review
from settings import settings

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = "results/review"


def main(argv: list[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["accept"]:
        return accept_main(arguments[1:])
    return review_main(arguments)


def default_model() -> str:
    configured = settings().rasa_model
    return str(settings().path(configured)) if configured else str(PROJECT / "models" / "bpo-faq.tar.gz")


def review_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reporting.review", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--db-url", default=default_db_url())
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--model", default=default_model())
    parser.add_argument("--low-confidence", type=float, default=0.5)
    parser.add_argument("--project", default=str(PROJECT), help="where data/ and tests/ are")
    args = parser.parse_args(argv)
    if not Path(args.model).is_file():
        print(f"No model at {args.model}: run `make train` or pass --model.", file=sys.stderr)
        return 1
    try:
        total, events = stream_events(args.db_url)
        items = collect(events, args.low_confidence, total)
    except Exception as error:  # noqa: BLE001 - any driver error means: cannot read the store
        print(f"Cannot read the tracker store at {_redact(args.db_url)}: {error}", file=sys.stderr)
        return 1
    print(f"{len(items)} turns from {total:,} events; parsing them with {args.model}", file=sys.stderr)
    result = review(items, model_parser(args.model), Path(args.project))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    now = time.time()
    files = [
        write_review_page(result, out, aspect_labeller(), _redact(args.db_url), args.model, now),
        write_suggestions(result, out, args.model, now),
        write_uncovered(result, out),
    ]
    suggested = result.of(SUGGEST)
    examples = sum(len(group.examples) for group in suggested)
    print(
        f"{len(result.groups)} groups: {len(suggested)} with suggested examples ({examples} examples), "
        f"{len(result.of(UNSURE))} unsure, {len(result.of(NOT_COVERED))} not covered, "
        f"{len(result.of(OFF_TOPIC))} off-topic; "
        f"{sum(result.set_aside.values())} turn(s) set aside. " + ", ".join(str(path) for path in files)
    )
    return 0


def model_parser(model: str) -> Parser:
    """Parses texts with the trained model's NLU (Rasa's Agent), one event loop for all."""
    import asyncio
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    # Rasa's structured logs default to debug: a line per parse.
    configure_structlog(logging.WARNING)
    agent = Agent.load(model)
    loop = asyncio.new_event_loop()

    def parse(text: str) -> dict[str, Any]:
        parsed: dict[str, Any] = loop.run_until_complete(agent.parse_message(text))
        return parsed

    return parse


def aspect_labeller() -> Callable[[str], str]:
    """An aspect's English label from the knowledge file, or its id when it has none."""
    from faq.knowledge import KnowledgeBase, KnowledgeError

    try:
        knowledge = KnowledgeBase.load()
    except KnowledgeError:
        return lambda aspect: aspect
    return lambda aspect: knowledge.label(aspect, "en") if knowledge.has_aspect(aspect) else aspect


def accept_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reporting.review accept",
        description="Append one review group's examples to data/nlu/<lang>/review_accepted.yml.",
    )
    parser.add_argument("group", help="the group's id, e.g. en-1 (see review.html)")
    parser.add_argument("--intent", help="file the examples under this intent instead of the proposed one")
    parser.add_argument("--language", help="the group's language, when the review could not tell")
    parser.add_argument("--suggestions", default=str(PROJECT / DEFAULT_OUT / SUGGESTIONS_FILE))
    parser.add_argument("--project", default=str(PROJECT), help="the project whose data/nlu receives them")
    args = parser.parse_args(argv)
    try:
        result = accept(args.group, Path(args.suggestions), Path(args.project), args.intent, args.language)
    except AcceptError as error:
        print(f"Not accepted: {error}", file=sys.stderr)
        return 1
    skipped = [f"{len(result.already_there)} already in the training data"] if result.already_there else []
    skipped += [f"{len(result.held_out)} held-out test questions"] if result.held_out else []
    if not result.added:
        print(f"Nothing added to {result.path}: {', '.join(skipped) or 'the group has no examples'}.")
        return 0
    print(
        f"Added {len(result.added)} examples of {result.intent} to {result.path}"
        + (f" (skipped {', '.join(skipped)})" if skipped else "")
        + ". Next: make validate && make train"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
