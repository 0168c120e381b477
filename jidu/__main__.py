"""`python -m jidu <command>` is `manage.py <command>` with Jidu's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jidu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0].replace("__main__.py", "jidu"), *sys.argv[1:]])


if __name__ == "__main__":
    main()
