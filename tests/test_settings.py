"""Settings from environment variables, each with its documented default."""

import os

import pytest

from service.config import Settings


def test_defaults_without_environment():
    settings = Settings.from_environment({})
    assert (settings.host, settings.port, settings.timeout, settings.log_level) == ("0.0.0.0", 8000, 60, "info")
    assert settings.workers == len(os.sched_getaffinity(0))
    assert settings.api_keys == ()


def test_every_setting_is_read_from_its_variable():
    settings = Settings.from_environment({"PORT": "9000", "WEB_CONCURRENCY": "5", "LOG_LEVEL": "debug",
                                          "MAX_JSON_DEPTH": "10", "MAX_WORK": "7", "API_KEYS": " a, b ,,c "})
    assert (settings.port, settings.workers, settings.log_level, settings.max_json_depth, settings.max_work) == \
        (9000, 5, "debug", 10, 7)
    assert settings.api_keys == ("a", "b", "c")


def test_api_keys_from_a_file_add_to_those_in_the_variable(tmp_path):
    keys = tmp_path / "keys"
    keys.write_text("from-file-1\n\nfrom-file-2\n", encoding="utf-8")
    settings = Settings.from_environment({"API_KEYS": "inline", "API_KEYS_FILE": str(keys)})
    assert settings.api_keys == ("inline", "from-file-1", "from-file-2")


def test_keys_stay_out_of_the_settings_repr():
    assert "secret" not in repr(Settings(api_keys=("secret",)))


def test_a_malformed_value_names_its_variable():
    with pytest.raises(ValueError, match="WEB_CONCURRENCY"):
        Settings.from_environment({"WEB_CONCURRENCY": "many"})
