"""``store.write_csv`` writes exactly the bytes of ``DataFrame.to_csv`` (faster for plain columns)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from policybrief import store

FRAMES = {
    "floats-of-every-size": pd.DataFrame({"value": [0.1, 0.1 + 0.2, 1e16, 1234567890123456.0, 1e-5, 0.0001, -0.0,
                                                    500.0, 10800000000.0, float("inf"), float("nan"), 2.5e-300]}),
    "ints-and-bools": pd.DataFrame({"start": np.array([0, 17, -3], dtype="int64"), "is_target": [True, False, True]}),
    "arabic-and-quoting": pd.DataFrame({"quote": ["بلغ 10,8 مليار درهم", 'قال "نعم"', "سطر\nثان", "", None]}),
    "object-with-nan": pd.DataFrame({"what": np.array(["فرصة شغل", np.nan, "منصب"], dtype=object)}),
    "pandas-str-dtype": pd.DataFrame({"doc_id": pd.array(["a", None, "ج"], dtype="str")}),
    "nullable-int-falls-back": pd.DataFrame({"n": pd.array([1, None, 3], dtype="Int64")}),
    "categorical-falls-back": pd.DataFrame({"kind": pd.Categorical(["place", "person", "place"])}),
    "empty-with-columns": pd.DataFrame({"doc_id": pd.Series([], dtype=object), "value": pd.Series([], dtype=float)}),
    "mixed-object": pd.DataFrame({"x": np.array([1, 2.5, True, "نص", None], dtype=object)}),
}


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in FRAMES])
def test_write_csv_gives_the_bytes_of_to_csv(tmp_path, name):
    df = FRAMES[name]
    df.to_csv(tmp_path / "pandas.csv", index=False, encoding="utf-8")
    store.write_csv(df, tmp_path / "store.csv")
    assert (tmp_path / "store.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


def test_written_csv_reads_back_with_the_schema_dtypes(tmp_path):
    from policybrief.extract.figures import extract_figures

    df = extract_figures("d", "يستهدف البرنامج خلق أكثر من 500 فرصة شغل في أفق سنة 2029.")
    store.write_csv(df, tmp_path / "figures.csv", schema="figures")
    pd.testing.assert_frame_equal(store.read_csv(tmp_path / "figures.csv", "figures"), df, check_exact=True, check_dtype=False)


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_write_csvs_in_processes_gives_the_files_of_write_csv(tmp_path, workers):
    jobs = [(FRAMES[name], tmp_path / "many" / f"{name}.csv", None) for name in FRAMES]
    written = store.write_csvs(jobs, workers=workers)
    assert written == [path for _, path, _ in jobs]
    for df, path, _ in jobs:
        store.write_csv(df, tmp_path / "one.csv")
        assert path.read_bytes() == (tmp_path / "one.csv").read_bytes(), path.name
    assert store._FORKED_CSV_JOBS == []


def test_write_csvs_raises_a_writers_error_in_the_caller_and_leaves_no_temporary_file(tmp_path):
    (tmp_path / "not-a-folder").write_text("x")
    jobs = [(FRAMES["ints-and-bools"], tmp_path / "ok.csv", None),
            (FRAMES["arabic-and-quoting"], tmp_path / "not-a-folder" / "bad.csv", None)]
    with pytest.raises(OSError):
        store.write_csvs(jobs, workers=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder", "ok.csv"]
