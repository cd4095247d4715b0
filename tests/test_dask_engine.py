"""`policybrief extract --engine dask`: the same tables as the default engine, on a local or a running cluster."""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from policybrief import cli
from policybrief.extract import dask_engine, pipeline

# Sentences written for these tests; each article is a seeded draw of them.
SENTENCES = [
    "أعلنت وزارة الصحة عن برنامج “صحة القرب 2027” لبناء 120 مركزا صحيا في الجهات.",
    "ورصدت الحكومة للبرنامج ميزانية قدرها 6,3 مليار درهم على مدى ثلاث سنوات.",
    "ووقعت الوزارة اتفاقية مع المكتب الوطني للكهرباء بالدار البيضاء في 21 أبريل 2025.",
    "وأوضحت السيدة سلمى بنعلي، الكاتبة العامة للوزارة، أن نسبة التغطية ستصل إلى 90 في المائة سنة 2027.",
    "وسيشغل كل مركز نحو 25 مهنيا في الصحة.",
    "وتراجعت آجال الانتظار بنسبة 18 في المائة مقارنة مع السنة الماضية.",
]
TABLES = ("figures", "dates", "entities", "initiatives")


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    rng = random.Random(5)
    for index in range(70):
        text = "\n".join(rng.sample(SENTENCES, rng.randint(2, len(SENTENCES)))) + "\n"
        (folder / f"news_{index:03d}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def default_output(articles, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("default")
    assert cli.main(["extract", str(articles), "--out", str(out)]) == 0
    return out


def _assert_same_csv_files(actual: Path, expected: Path) -> None:
    for name in TABLES:
        assert (actual / f"{name}.csv").read_bytes() == (expected / f"{name}.csv").read_bytes(), name
    assert (actual / "documents.parquet").read_bytes() == (expected / "documents.parquet").read_bytes()


def _assert_parquet_equals_csv(out: Path) -> None:
    for name in ("figures", "entities"):
        parts = sorted((out / "parquet" / name).glob("part-*.parquet"))
        assert parts, name
        from_parquet = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        from_csv = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
        assert list(from_parquet.columns) == list(from_csv.columns)
        for column in ("doc_id", "text" if name == "entities" else "quote"):
            assert from_parquet[column].tolist() == from_csv[column].tolist(), (name, column)
        assert from_parquet["start"].tolist() == from_csv["start"].astype(int).tolist()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and one worker on 127.0.0.1, as a user starts them with the ``dask`` command."""
    folder = tmp_path_factory.mktemp("cluster")
    scheduler_file = folder / "scheduler.json"
    bin_dir = Path(sys.executable).parent
    dask = [str(bin_dir / "dask")] if (bin_dir / "dask").exists() else [shutil.which("dask") or "dask"]
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    logs = open(folder / "cluster.log", "w")
    scheduler = subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                  "--scheduler-file", str(scheduler_file)], stdout=logs, stderr=logs, env=env)
    worker = None
    try:
        for _ in range(300):
            if scheduler_file.exists() and scheduler_file.stat().st_size:
                break
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        worker = subprocess.Popen([*dask, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                                   "--host", "127.0.0.1"], stdout=logs, stderr=logs, env=env)
        yield address
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        logs.close()


def test_scheduler_option_runs_on_a_running_cluster(articles, default_output, cluster, tmp_path):
    out = tmp_path / "dask"
    assert cluster.startswith("tcp://127.0.0.1:")
    assert cli.main(["extract", str(articles), "--out", str(out), "--engine", "dask", "--scheduler", cluster]) == 0
    _assert_same_csv_files(out, default_output)
    _assert_parquet_equals_csv(out)


def test_scheduler_address_from_the_environment(articles, default_output, cluster, tmp_path, monkeypatch):
    monkeypatch.setenv(dask_engine.SCHEDULER_ENV, cluster)
    seen = []
    original = dask_engine._client
    monkeypatch.setattr(dask_engine, "_client", lambda address, workers: seen.append(address) or original(address, workers))
    out = tmp_path / "dask-env"
    assert cli.main(["extract", str(articles), "--out", str(out), "--engine", "dask"]) == 0
    assert seen == [cluster]
    _assert_same_csv_files(out, default_output)


def test_local_cluster_by_default(articles, default_output, tmp_path, monkeypatch):
    monkeypatch.delenv(dask_engine.SCHEDULER_ENV, raising=False)
    out = tmp_path / "dask-local"
    assert cli.main(["extract", str(articles), "--out", str(out), "--engine", "dask", "--workers", "2"]) == 0
    _assert_same_csv_files(out, default_output)


def test_chunks_come_back_in_document_order_whatever_finishes_first(articles, cluster):
    from policybrief.corpus import read_corpus

    documents = read_corpus(articles)
    jobs = list(zip(documents["doc_id"], documents["text"], documents["published"]))
    by_dask = [n for n, _ in dask_engine.dask_chunks(jobs, cluster, chunk_size=7)]
    assert sum(by_dask) == len(jobs) and by_dask[:-1] == [7] * (len(by_dask) - 1)
    tables = pipeline.extract_corpus(documents, engine="dask", scheduler=cluster)
    pd.testing.assert_frame_equal(tables["figures"], pipeline.extract_corpus(documents)["figures"], check_exact=True)


def test_an_unreachable_scheduler_is_a_one_line_error(articles, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", "2s")
    code = cli.main(["extract", str(articles), "--out", str(tmp_path / "o"), "--engine", "dask",
                     "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == cli.EXIT_ERROR
    assert err[-1].startswith("policybrief: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert not any((tmp_path / "o" / f"{name}.csv").exists() for name in TABLES)  # nothing extracted half-way


def test_workers_running_other_code_are_refused(articles, cluster, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(dask_engine, "code_fingerprint", lambda: "not-the-workers-version")
    code = cli.main(["extract", str(articles), "--out", str(tmp_path / "o"), "--engine", "dask", "--scheduler", cluster])
    assert code == cli.EXIT_ERROR
    assert "run another version of policybrief" in capsys.readouterr().err
