import json
import subprocess
import sys

import pandas as pd

from analysis.cli import main


def test_timexes_prints_one_object_per_expression(capsys):
    import io
    sys_stdin = sys.stdin
    sys.stdin = io.StringIO("The army said Sunday it took the town on Nov. 9.")
    try:
        assert main(["timexes", "--dct", "2017-11-19"]) == 0
    finally:
        sys.stdin = sys_stdin
    lines = [json.loads(l) for l in capsys.readouterr().out.splitlines()]
    assert [(t["text"], t["value"]) for t in lines] == [("Sunday", "2017-11-19"), ("Nov. 9", "2017-11-09")]
    assert {"start", "end", "text", "type", "value", "resolved"} <= set(lines[0])


def test_timexes_jsonl_keeps_order_and_ids():
    lines = "".join(json.dumps({"id": i, "dct": "2017-11-19", "text": t}) + "\n"
                    for i, t in (("b", "last month"), ("a", "on Monday")))
    out = subprocess.run([sys.executable, "-m", "analysis", "timexes", "--jsonl"], input=lines, text=True,
                         capture_output=True, check=True).stdout.splitlines()
    records = [json.loads(l) for l in out]
    assert [r["id"] for r in records] == ["b", "a"]
    assert records[0]["timexes"][0]["value"] == "2017-10"


def test_bad_dct_is_a_one_line_usage_error(capsys):
    assert main(["timexes", "--dct", "19/11/2017"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "YYYY-MM-DD" in err


def test_missing_input_is_a_one_line_error(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.strip().startswith("dateline: error: no such file or folder")


def test_unknown_command_is_bad_usage(capsys):
    assert main(["frobnicate"]) == 2


def test_strict_turns_skipped_input_into_exit_2(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "ok.jsonl").write_text(json.dumps({"id": "x", "text": "The army took Raqqa, al-Watan said.",
                                                         "published": "2017-11-19"}) + "\n")
    assert main(["extract", str(tmp_path / "in"), "--out", str(tmp_path / "out")]) == 0
    assert "empty file" in capsys.readouterr().err
    assert main(["extract", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--strict"]) == 2
    articles = pd.read_csv(tmp_path / "out" / "articles.csv")
    assert articles["status"].tolist() == ["skipped", "ok"]


def test_extract_writes_every_table_in_both_formats(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "x", "text": "The army took Raqqa, al-Watan said.",
                                                  "published": "2017-11-19"}) + "\n")
    assert main(["extract", str(tmp_path / "a.jsonl"), "--out", str(tmp_path / "out")]) == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["articles.csv", "articles.parquet", "claims.csv", "claims.parquet", "events.csv",
                     "events.parquet", "events_acled.csv", "timexes.csv", "timexes.parquet"]


def test_an_interrupted_save_leaves_the_previous_complete_tables(tmp_path, monkeypatch):
    import analysis
    from analysis import config, dataset

    ds = analysis.extract(analysis.load_corpus(config.DEFAULT_CORPUS))
    ds.save(tmp_path)
    before = (tmp_path / "events.csv").read_bytes()
    calls = {"n": 0}
    real = dataset._write_chunks

    def dying_write(*args, **kwargs):  # the third table's files are never finished
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(dataset, "_write_chunks", dying_write)
    smaller = dataset.Dataset(ds.articles, ds.timexes, ds.claims, ds.events.head(1))
    try:
        smaller.save(tmp_path)
    except KeyboardInterrupt:
        pass
    assert (tmp_path / "events.csv").read_bytes() == before
    assert not list(tmp_path.glob(".partial-*"))


def test_extract_killed_mid_run_leaves_no_partial_table_and_a_rerun_completes(tmp_path):
    import signal
    import time

    from analysis import config

    seed = (config.DEFAULT_CORPUS / "xinhua-2017-11-19-al-bukamal.txt").read_text(encoding="utf-8")
    body = seed.split("\n\n", 2)[2]
    with open(tmp_path / "many.jsonl", "w", encoding="utf-8") as handle:
        for i in range(400):
            handle.write(json.dumps({"id": f"a{i}", "outlet": "Xinhua", "published": "2017-11-19", "text": body}) + "\n")
    out = tmp_path / "out"
    for sig in (signal.SIGINT, signal.SIGKILL):
        proc = subprocess.Popen([sys.executable, "-m", "analysis", "extract", str(tmp_path / "many.jsonl"),
                                 "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(3)
        proc.send_signal(sig)
        proc.wait(timeout=60)
        visible = sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) if out.exists() else []
        assert visible in ([], ["articles.csv", "articles.parquet", "claims.csv", "claims.parquet", "events.csv",
                                "events.parquet", "events_acled.csv", "timexes.csv", "timexes.parquet"])
        for name in visible:
            if name.endswith(".parquet"):
                pd.read_parquet(out / name)
    assert main(["extract", str(tmp_path / "many.jsonl"), "--out", str(out)]) == 0
    assert len(pd.read_parquet(out / "articles.parquet")) == 400
