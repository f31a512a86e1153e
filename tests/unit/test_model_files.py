"""nlu_components/model_files.py: a component's JSON file in Rasa's model storage, written at
training and read back when the model loads; a component that was never trained gets a default."""

from __future__ import annotations

from rasa.engine.storage.resource import Resource

from nlu_components.model_files import load_json, save_json
from tests.unit.helpers import model_storage

DATA = {"fi": {"palkan": "palkka"}, "counts": [1, 2, 3], "ö": None}


def test_what_is_saved_is_loaded_back(tmp_path):
    storage, resource = model_storage(tmp_path), Resource("component")
    save_json(storage, resource, "data.json", DATA)
    assert load_json(storage, resource, "data.json", {}) == DATA


def test_two_files_of_one_component_are_kept_apart(tmp_path):
    storage, resource = model_storage(tmp_path), Resource("component")
    save_json(storage, resource, "a.json", {"a": 1})
    save_json(storage, resource, "b.json", {"b": 2})
    assert load_json(storage, resource, "a.json", None) == {"a": 1}
    assert load_json(storage, resource, "b.json", None) == {"b": 2}


def test_a_model_without_the_file_or_the_resource_gives_the_default(tmp_path):
    storage = model_storage(tmp_path)
    save_json(storage, Resource("trained"), "data.json", DATA)
    assert load_json(storage, Resource("trained"), "other.json", {"default": True}) == {"default": True}
    assert load_json(storage, Resource("never_trained"), "data.json", []) == []
