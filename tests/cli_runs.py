"""Running the ``ember`` command in-process, for the command-line tests."""

from ember.cli.main import main


def run(argv, capsys, folder, monkeypatch):
    """``ember ARGV`` in ``folder`` without progress bars: (exit code, stdout, stderr)."""
    monkeypatch.chdir(folder)
    monkeypatch.setenv("TQDM_DISABLE", "1")
    code = main([str(arg) for arg in argv])
    return code, *capsys.readouterr()


def one_line_error(code, err, *fragments):
    """The last line of stderr, after checking it is the whole, single-line error."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 1 and len(lines) == 1 and lines[0].startswith("ember "), err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]
