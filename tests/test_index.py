"""The persistent index: stable ids, incremental updates, clear errors for broken stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.components.vector_store import IndexUnavailable
from assistant.corpus import yamlio
from assistant.domain.beeld import SavedBeeld
from assistant.retrieval.nodes import KINDS
from assistant.retrieval.setup import build_knowledge
from assistant.settings import Settings

from .conftest import CORPUS_DIR, RecordingEncoder, make_settings


def _all_ids(knowledge) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(knowledge.dense.stored_hashes())


def test_indexing_the_same_corpus_twice_keeps_the_same_ids_and_count(settings: Settings) -> None:
    first = build_knowledge(settings)
    ids = _all_ids(first)
    second = build_knowledge(settings)
    assert second.last_sync.embedded == 0
    assert _all_ids(second) == ids
    assert second.dense.count() == len(ids) == len(set(ids))


def test_changing_one_record_re_embeds_only_that_record(
    tmp_path: Path, recording_embedding: tuple[object, RecordingEncoder]
) -> None:
    embedding, encoder = recording_embedding
    corpus_copy = tmp_path / "corpus"
    corpus_copy.mkdir()
    for path in CORPUS_DIR.glob("*.yaml"):
        (corpus_copy / path.name).write_bytes(path.read_bytes())
    settings = make_settings(tmp_path / "data", corpus_dir=corpus_copy)
    build_knowledge(settings, embedding=embedding)  # type: ignore[arg-type]
    encoder.texts.clear()

    situaties = yamlio.read(corpus_copy / "situaties.yaml")
    situaties[2]["perspectieven"]["kennis"] += " Een extra zin over kennis van de context."
    yamlio.write(corpus_copy / "situaties.yaml", situaties)
    knowledge = build_knowledge(settings, embedding=embedding)  # type: ignore[arg-type]

    assert knowledge.last_sync.updated == 1
    assert knowledge.last_sync.added == knowledge.last_sync.removed == 0
    assert len(encoder.texts) == 1 and "Een extra zin over kennis" in encoder.texts[0]


def test_rebuild_starts_over_with_the_same_ids(settings: Settings) -> None:
    ids = _all_ids(build_knowledge(settings))
    rebuilt = build_knowledge(settings, rebuild=True)
    assert rebuilt.last_sync.added == len(ids)
    assert _all_ids(rebuilt) == ids


def test_metadata_is_scalar_only_with_the_required_fields(settings: Settings) -> None:
    knowledge = build_knowledge(settings)
    page = knowledge.dense._collection.get(include=["metadatas"], limit=10_000)
    kinds = set()
    for meta in page["metadatas"]:
        for key in ("kind", "situation", "perspective", "source", "title"):
            assert key in meta
        assert all(isinstance(v, str | int | float | bool) for v in meta.values())
        kinds.add(meta["kind"])
    assert kinds == set(KINDS) - {"eigen_beeld"}


def test_a_saved_beeld_is_indexed_and_found_and_gone_after_removal(settings: Settings) -> None:
    beeld = SavedBeeld(
        id="test1",
        titel="De zeilboot tegen de wind",
        kenmerkende_ervaring="Ik laveerde tussen het waterschap en de provincie over de dijken.",
        beeld="Goed werk was laveren: koers houden terwijl de wind steeds draait.",
        situatie=5,
    )
    knowledge = build_knowledge(settings, saved=[beeld])
    found = knowledge.retriever.similar(
        "laveren tussen waterschap en dijkversterking", ("eigen_beeld",)
    )
    assert found and found[0].id == "eigen_beeld-test1"
    knowledge = build_knowledge(settings, saved=[])
    assert knowledge.last_sync.removed == 1
    assert not knowledge.retriever.similar("laveren waterschap dijkversterking", ("eigen_beeld",))


def test_a_damaged_data_dir_gets_a_message_naming_rebuild(settings: Settings) -> None:
    chroma_dir = settings.chroma_dir
    chroma_dir.mkdir(parents=True)
    (chroma_dir / "chroma.sqlite3").write_bytes(b"dit is geen sqlite-bestand" * 100)
    with pytest.raises(IndexUnavailable, match="--rebuild"):
        build_knowledge(settings)
    knowledge = build_knowledge(settings, rebuild=True)
    assert knowledge.dense.count() > 500


def test_a_foreign_collection_gets_a_message_naming_rebuild(settings: Settings) -> None:
    import chromadb

    settings.chroma_dir.mkdir(parents=True)
    client = chromadb.PersistentClient(path=str(settings.chroma_dir))
    client.create_collection("goedwerk", metadata={"van": "iemand anders"})
    del client
    with pytest.raises(IndexUnavailable, match="--rebuild"):
        build_knowledge(settings)


def test_an_index_built_with_another_embedding_model_names_rebuild(tmp_path: Path) -> None:
    build_knowledge(make_settings(tmp_path))
    other = make_settings(tmp_path, embedding={"mode": "fake", "query_prefix": "q: "})
    knowledge = build_knowledge(other)  # the same model name: fine
    assert knowledge.last_sync.embedded == 0
    from assistant.components.embedding import EncoderEmbedding, fake_encoder

    renamed = EncoderEmbedding(fake_encoder(), model_name="fake/another-model")
    with pytest.raises(IndexUnavailable, match="--rebuild"):
        build_knowledge(other, embedding=renamed)
