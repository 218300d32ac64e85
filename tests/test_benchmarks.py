"""`make bench` stays runnable: every kernel against its twin on a tiny scale."""
from benchmarks.__main__ import main


def test_benchmarks_run_and_report_every_method(capsys):
    assert main(["--repeat", "1", "--scale", "0.01"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 19 and all(float(line.split()[-1]) > 0 for line in lines[1:])
