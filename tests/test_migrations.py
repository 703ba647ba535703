"""Every model change comes with its migration."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration(capsys):
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations found changes:\n{capsys.readouterr().out} ({exit_})")
    assert "No changes detected" in capsys.readouterr().out
