from testimony_app.cli import main

raise SystemExit(main())
