from wfscore.cli import run

raise SystemExit(run())
