"""Publishing switches between one file per table and folders of parts, and the manifest sees strays."""

from pipeline.outputs import commit, file_sha256, new_staging, publish, read_manifest, verify_outputs
from pipeline.tables import PARTITIONED, build_tables, frame_of, load_table, write_parquet

VERSION = {"pipeline_version": "test", "profile": "fast"}


def _publish_parts(out, n_parts=2):
    """A partitioned set as the Dask engine leaves it: parts of the large tables, other files at the top."""
    staging = new_staging(out)
    files = {}
    for name in PARTITIONED:
        (staging / f"{name}.parquet").mkdir()
        for i in range(n_parts):
            relative = f"{name}.parquet/part-{i:05d}.parquet"
            write_parquet(name, frame_of(name, []), staging / relative)
            files[relative] = file_sha256(staging / relative)
    for name in ("timeline", "rejects"):
        write_parquet(name, frame_of(name, []), staging / f"{name}.parquet")
        files[f"{name}.parquet"] = file_sha256(staging / f"{name}.parquet")
    return commit(staging, files, {}, layout="partitioned", **VERSION)


def test_layouts_replace_each_other_as_whole_sets(tmp_path):
    out = tmp_path / "out"
    tables = build_tables([], [])
    publish(tables, out, **VERSION)
    assert (out / "mentions.parquet").is_file() and read_manifest(out)["layout"] == "single"

    manifest = _publish_parts(out)
    assert (out / "mentions.parquet").is_dir() and manifest["layout"] == "partitioned"
    # Files of the previous set the new one lacks are gone, not left stale beside it.
    assert not (out / "mentions.csv").exists() and not (out / "timeline.png").exists()
    assert verify_outputs(out) == [] and not list(out.glob(".staging-*"))
    assert load_table("mentions", out).empty

    _publish_parts(out, n_parts=1)  # a folder replaces a folder: no part of the older run remains
    assert sorted(p.name for p in (out / "events.parquet").iterdir()) == ["part-00000.parquet"]

    publish(tables, out, **VERSION)
    assert (out / "mentions.parquet").is_file() and (out / "mentions.csv").is_file()
    assert verify_outputs(out) == []


def test_a_stray_part_is_reported(tmp_path):
    out = tmp_path / "out"
    run_id = _publish_parts(out)["run_id"]
    stray = out / "mentions.parquet" / "part-00009.parquet"
    stray.write_bytes((out / "mentions.parquet" / "part-00000.parquet").read_bytes())
    assert verify_outputs(out) == [f"{stray} is not part of run {run_id}"]
