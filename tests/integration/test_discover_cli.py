"""`sonocat discover`, `runs`, `config show` and `schedule` through the CLI, in-process."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from crawler import config as config_module
from crawler import scheduler
from crawler.errors import ConfigError
from crawler.lock import RunLock
from tests.integration.test_runs import OPENALEX, ZENODO, FakeZenodo, openalex_empty, zenodo_record

# The CLI sleeps for real: keep the budgets generous and retries off so tests stay fast.
CONFIG = f"""
[sources.zenodo]
base_url = "{ZENODO}"
per_minute = 6000
max_retries = 0
page_size = 2
resource_types = ["dataset"]
dataset_queries = ["ultrasound"]
model_queries = []
[sources.openalex]
base_url = "{OPENALEX}"
per_minute = 6000
max_retries = 0
dataset_queries = ["ultrasound"]
model_queries = []
[sources.github]
enabled = false
[sources.kaggle]
enabled = false
[sources.scholar]
enabled = false
[sources.huggingface]
enabled = false
"""


@pytest.fixture
def configured(tmp_path: Path) -> Path:
    (tmp_path / "sonocat.toml").write_text(CONFIG)
    return tmp_path


@pytest.fixture
def zenodo():
    fake = FakeZenodo([zenodo_record(i, f"Thyroid ultrasound cine {i}") for i in range(1, 4)])
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{ZENODO}/api/records").mock(side_effect=fake)
        router.get(f"{OPENALEX}/works").mock(side_effect=openalex_empty)
        yield fake


def test_discover_stages_hits_prints_a_summary_and_exits_zero(run_cli, configured, zenodo):
    result = run_cli("discover")
    assert result.exit_code == 0, result.output
    assert "run 1: ok" in result.stdout
    assert "zenodo" in result.stdout and "openalex" in result.stdout
    assert "zenodo: started" in result.stderr  # plain log lines when not a terminal
    listed = run_cli("runs", "list", "--json")
    runs = json.loads(listed.stdout)
    assert runs[0]["id"] == 1 and runs[0]["state"] == "ok" and runs[0]["new"] == 3
    shown = json.loads(run_cli("runs", "show", "1", "--json").stdout)
    by_source = {s["source"]: s for s in shown["sources"]}
    assert by_source["zenodo"]["hits"] == 3 and by_source["zenodo"]["requests"] == 2
    assert run_cli("runs", "show", "1").exit_code == 0


def test_exit_status_tells_cron_what_happened(run_cli, configured, zenodo):
    zenodo.fail_pages = {2}
    assert run_cli("discover").exit_code == 3  # zenodo partial, openalex ok
    zenodo.fail_pages = {1, 2}
    assert run_cli("discover", "--source", "zenodo").exit_code == 4  # nothing ran


def test_discover_refuses_while_another_run_holds_the_lock(run_cli, configured, zenodo, db_path):
    with RunLock(db_path):
        result = run_cli("discover")
    assert result.exit_code == 75
    assert "another discovery run" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["discover", "--source", "myspace"], "unknown source myspace; known sources: github, zenodo"),
        (["discover", "--since", "last tuesday"], "--since must be a date YYYY-MM-DD"),
        (["discover", "--since", "2025-01-01", "--full"], "contradict"),
        (["runs", "show", "42"], "no run with id 42"),
    ],
)
def test_bad_input_is_one_clear_line(run_cli, configured, zenodo, args, message):
    run_cli("init")
    result = run_cli(*args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_config_show_masks_secrets(run_cli, configured):
    env = {"GITHUB_TOKEN": "ghp_supersecretvalue1234", "KAGGLE_USERNAME": "alice", "KAGGLE_KEY": "k" * 32}
    text = run_cli("config", "show", env=env)
    data = json.loads(run_cli("config", "show", "--json", env=env).stdout)
    for output in (text.stdout, json.dumps(data)):
        assert "ghp_supersecretvalue1234" not in output and "k" * 32 not in output
    assert data["credentials"]["GITHUB_TOKEN"] == "****1234"
    assert data["sources"]["zenodo"]["base_url"] == ZENODO
    assert data["sources"]["github"]["enabled"] is False
    assert "[sources.zenodo]" in text.stdout


def test_a_bare_us_query_is_refused(tmp_path):
    toml = tmp_path / "sonocat.toml"
    toml.write_text('[sources.github]\nmodel_queries = ["US"]\n')
    with pytest.raises(ConfigError, match="bare 'US'"):
        config_module.load(config_file=str(toml), environ={})


def test_default_queries_are_the_papers_terms_and_never_bare_us():
    cfg = config_module.load(environ={}, config_file=str(Path(__file__).parents[2] / "sonocat.example.toml"))
    texts = {q.text for s in cfg.sources.values() for q in s.queries}
    assert {"ultrasound imaging", "public ultrasound datasets", "ultrasound", "sonography"} <= texts
    assert not any(t.upper() == "US" for t in texts)


def test_unauthenticated_github_uses_the_lower_search_limit():
    assert config_module.load(environ={}).sources["github"].per_minute == 10
    assert config_module.load(environ={"GITHUB_TOKEN": "x"}).sources["github"].per_minute == 30


def test_scheduler_uses_the_configured_cron_coalesces_and_never_overlaps(tmp_path):
    toml = tmp_path / "sonocat.toml"
    toml.write_text('[schedule]\ndiscover = "30 4 * * 1-5"\ntimezone = "UTC"\n')
    cfg = config_module.load(config_file=str(toml), environ={}, db=str(tmp_path / "c.db"))
    sched = scheduler.build(cfg)
    job = sched.get_job("discover")
    assert str(job.trigger) == "cron[month='*', day='*', day_of_week='1-5', hour='4', minute='30']"
    assert job.coalesce is True and job.max_instances == 1
    assert config_module.load(environ={}).schedule["discover"] == "0 2 * * *"


def test_a_bad_cron_expression_is_a_config_error(tmp_path):
    toml = tmp_path / "sonocat.toml"
    toml.write_text('[schedule]\ndiscover = "every night"\n')
    cfg = config_module.load(config_file=str(toml), environ={})
    with pytest.raises(ConfigError, match="not a valid cron expression"):
        scheduler.build(cfg)


def test_scheduled_job_skips_cleanly_while_a_manual_run_holds_the_lock(configured, zenodo, caplog):
    cfg = config_module.load(config_file=str(configured / "sonocat.toml"), environ={}, db=str(configured / "c.db"))
    with RunLock(cfg.db_path):
        scheduler.discovery_job(cfg)
    assert "scheduled run skipped" in caplog.text
    scheduler.discovery_job(cfg)
    assert "finished: ok" in caplog.text


def test_schedule_once_runs_the_job(run_cli, configured, zenodo, db_path):
    result = run_cli("schedule", "--once")
    assert result.exit_code == 0, result.output
    listed = json.loads(run_cli("runs", "list", "--json").stdout)
    assert listed[0]["trigger"] == "schedule" and listed[0]["state"] == "ok"


def test_tokens_never_reach_the_database(run_cli, configured, zenodo, db_path):
    secret = "zenodo-token-ABCDEFGHIJ123456"
    assert run_cli("discover", env={"ZENODO_TOKEN": secret}).exit_code == 0
    assert secret.encode() not in db_path.read_bytes()
    assert zenodo.calls[0].headers["Authorization"] == f"Bearer {secret}"


def test_zenodo_sends_a_token_only_when_given(run_cli, configured, zenodo):
    run_cli("discover", "--source", "zenodo")
    assert "Authorization" not in zenodo.calls[0].headers
    assert isinstance(zenodo.calls[0], httpx.Request)
