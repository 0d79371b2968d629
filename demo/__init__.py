"""Demo tooling: ``seed_demo`` (accounts, check-ins, sessions) and the demo stretch videos.

Nothing in the product apps imports from here. The commands refuse to run with
production settings, because the demo passwords are published in the README.
"""
