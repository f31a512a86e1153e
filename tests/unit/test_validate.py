"""faq/validate.py (`make validate`): a summary line and exit 0 for good knowledge files, the file,
entry and key on stderr and exit 1 for a broken one."""

from __future__ import annotations

from faq.validate import main
from tests.conftest import small_knowledge_document, write_yaml


def test_good_files_are_summarised(knowledge_files, capsys):
    assert main([str(path) for path in knowledge_files]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{knowledge_files[0]}: ") and out.rstrip().endswith(": OK")
    document = small_knowledge_document()
    entries = sum(len(aspect["entries"]) for aspect in document["aspects"].values())
    assert f"{len(document['aspects'])} aspects, {entries} entries, 3 sources" in out


def test_a_broken_file_is_named_with_its_entry_and_key(knowledge_files, capsys):
    document = small_knowledge_document()
    del document["aspects"]["skills"]["entries"]["bpo"]["answer"]["sv"]
    write_yaml(knowledge_files[0], document)
    assert main([str(path) for path in knowledge_files]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"invalid knowledge: {knowledge_files[0]}: aspects.skills.entries.bpo.answer: ")
    assert "missing key 'sv'" in err


def test_without_arguments_the_projects_files_are_checked(capsys):
    assert main([]) == 0
    assert "knowledge/comparison.yml" in capsys.readouterr().out
