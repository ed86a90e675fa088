"""The `gpvoice import-…` commands: layout, dry-run counts, rejection with line numbers, progress."""

import io

import pytest
from django.core.management import CommandError, call_command

from gpvoice.directory import layouts as files
from gpvoice.directory.importers.progress import ProgressBar
from gpvoice.directory.models import Organisation


def _run(*args: object) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def map_file(tmp_path):
    path = tmp_path / "gp-reg-pat-prac-map.csv"
    path.write_bytes(files.practice_map([files.map_row("Z10001"), files.map_row("Z10002", "U")]))
    return path


@pytest.mark.django_db
def test_dry_run_names_the_layout_and_counts_without_writing(map_file, unchanged):
    with unchanged():
        output = _run("import-practice-map", map_file, "--dry-run")
    assert "Layout: NHS England practice mapping" in output
    assert "New: 6" in output and "Dry run: nothing was changed." in output


@pytest.mark.django_db
def test_applying_twice_reports_no_changes_the_second_time(map_file):
    assert "Applied." in _run("import-practice-map", map_file)
    again = _run("import-practice-map", map_file)
    assert "New: 0" in again and "Changed: 0" in again and "Closed: 0" in again
    assert Organisation.objects.filter(org_type="practice").count() == 2


@pytest.mark.django_db
def test_a_rejected_file_fails_the_command_and_lists_the_lines(tmp_path, unchanged):
    bad = tmp_path / "epraccur.csv"
    bad.write_bytes(files.epraccur([files.epraccur_row("Z10001"), files.epraccur_row("BAD1")]))
    out = io.StringIO()
    with unchanged(), pytest.raises(CommandError, match="rejected"):
        call_command("import-epraccur", bad, stdout=out)
    assert "Line 2: column 1 (code) is 'BAD1'" in out.getvalue()


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import-list-sizes", tmp_path / "absent.csv")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_and_is_silent_otherwise():
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = ProgressBar(total=4, stream=stream, width=4)
        bar(1)
        bar(10)  # never past the end
        bar.close()
    assert "\r[#...] 1/4" in terminal.getvalue() and "[####] 4/4" in terminal.getvalue()
    assert pipe.getvalue() == ""
