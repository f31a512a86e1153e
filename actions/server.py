"""`python -m actions.server`: the action server, started the way this project needs it.

- Validates the knowledge file before serving: a broken file stops the start with a message
  naming the file, the entry and the key (rasa_sdk would only fail at the first question).
- Binds ACTION_HOST (default 127.0.0.1; rasa_sdk's own CLI always binds 0.0.0.0).
- `kill -HUP <pid>` reloads the knowledge file; if the new version is broken, the error is
  logged and the last good version keeps being served.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys

from actions import knowledge_store
from faq.knowledge import KnowledgeError
from settings import settings as project_settings

logger = logging.getLogger("actions.server")


def _reload(*_: object) -> None:
    try:
        knowledge_store.reload_knowledge()
    except KnowledgeError as error:
        logger.error("Knowledge reload failed, still serving the last good version: %s", error)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=project_settings().action_host)
    parser.add_argument("--port", type=int, default=project_settings().action_port)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    try:
        knowledge = knowledge_store.shared_knowledge()
    except KnowledgeError as error:
        print(f"The action server cannot start: {error}", file=sys.stderr)
        return 1
    logger.info("Knowledge loaded: %d aspects, %d phrases", len(knowledge.aspects), len(knowledge.phrases))
    signal.signal(signal.SIGHUP, _reload)

    from rasa_sdk.endpoint import run

    os.environ["SANIC_HOST"] = args.host  # rasa_sdk reads the interface from here
    # No access log line per call: Rasa is the only caller, and formatting the line was a
    # tenth of the action server's time per call (profiled under load). Errors are logged.
    os.environ.setdefault("SANIC_ACCESS_LOG", "False")
    run("actions", port=args.port, cors_origins=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
