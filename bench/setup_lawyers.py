"""Put lawyers on duty for the bench: `python -m bench.setup_lawyers --count 300`.

Run with the bench's environment (bench.stack.Database.manage does it for the scenarios).
Each lawyer is reached by SMS only, so every offer goes to the local fake SMS gateway; all
cover central Moscow, where the bench's SOS come from. Also imports the demo stations, so
that the offer text names the nearest one as in production.
"""

import argparse
import os

import django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--capacity", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.benchsite.settings")
    django.setup()

    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from habeas.accounts.models import Role, User
    from habeas.lawyers.models import Lawyer
    from habeas.stations.services import DEMO_FILE, import_stations

    import_stations(DEMO_FILE, "ovdinfo-2013")
    unusable = make_password(None)  # nobody logs in; argon2 for 300 users would take minutes
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                email=f"lawyer{i}@bench.test",
                username=f"lawyer{i}@bench.test",
                role=Role.LAWYER,
                password=unusable,
            )
            for i in range(args.count)
        )
        Lawyer.objects.bulk_create(
            Lawyer(
                user=user,
                on_duty=True,
                capacity=args.capacity,
                phone=f"+7900{i:07d}",
                channels="sms",
                base_lat=55.7558,
                base_lon=37.6173,
                radius_km=50,
            )
            for i, user in enumerate(users)
        )
    print(f"{args.count} lawyers on duty, capacity {args.capacity}")


if __name__ == "__main__":
    main()
