"""Reading and writing a component's JSON file in the trained model (Rasa's model storage)."""

from __future__ import annotations

from typing import Any

import rasa.shared.utils.io
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


def save_json(model_storage: ModelStorage, resource: Resource, name: str, data: Any) -> None:
    with model_storage.write_to(resource) as directory:
        rasa.shared.utils.io.dump_obj_as_json_to_file(directory / name, data)


def load_json(model_storage: ModelStorage, resource: Resource, name: str, default: Any) -> Any:
    """The file's content, or `default` when the model has none (the component was not trained)."""
    try:
        with model_storage.read_from(resource) as directory:
            return rasa.shared.utils.io.read_json_file(directory / name)
    except (ValueError, FileNotFoundError):
        return default
