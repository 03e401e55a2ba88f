import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]


def _production_env():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production",
                "SECRET_KEY": "k" * 20 + "-a-long-and-random-production-secret-" + "z" * 20,
                "ALLOWED_HOSTS": "peer-review.example", "DATABASE_URL": "sqlite:///:memory:"})
    return env


@pytest.mark.parametrize("command", ["load_demo", "demo_code"])
def test_demo_commands_refuse_production_settings(command):
    result = subprocess.run([sys.executable, "manage.py", command], cwd=ROOT,
                            env=_production_env(), capture_output=True, text=True)
    assert result.returncode != 0
    assert f"{command} is part of the fictional demo" in result.stderr
    assert "config.settings.production" in result.stderr
    assert "Demo loaded" not in result.stdout


def test_production_settings_do_not_install_the_demo():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import "
         "settings; print('apps.demo' in settings.INSTALLED_APPS)"],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
    assert "apps.demo" in settings.INSTALLED_APPS  # the test (and laptop) profile has it


@pytest.mark.django_db
def test_demo_loads_once_and_demo_code_prints_a_code(capsys):
    call_command("load_frameworks")
    call_command("load_demo")
    first = capsys.readouterr().out
    assert "Demo loaded." in first
    call_command("load_demo")
    assert "already loaded" in capsys.readouterr().out
    call_command("demo_code")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
