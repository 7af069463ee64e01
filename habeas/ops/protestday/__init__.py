"""A protest day for training: 31 January 2021's arrival curve, compressed and replayed.

`plan` draws the people and the moments (pure, seeded); `send` sends each planned report
through the verbs' entrances, exactly as the PWA, the bot, the SMS gateway and an operator
would; `lawyers` plays the demo lawyers' side (answering offers, then the steps at the
station). `manage.py demo_protest_day` runs them against the demo database, debug only.
"""
