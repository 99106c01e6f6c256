from wfscore.cli import main

raise SystemExit(main())
