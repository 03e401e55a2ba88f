#!/usr/bin/env python
import os
import sys

# The fictional demo's commands live in apps.demo, which production settings do not install.
DEMO_COMMANDS = {"load_demo", "demo_code", "seed_scale"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    if len(sys.argv) > 1 and sys.argv[1] in DEMO_COMMANDS:
        from django.conf import settings

        if "apps.demo" not in settings.INSTALLED_APPS:
            sys.exit(f"{sys.argv[1]} is part of the fictional demo and cannot run with "
                     f"{os.environ['DJANGO_SETTINGS_MODULE']}: those settings do not install "
                     "apps.demo. The demo runs only with config.settings.local (make run).")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
