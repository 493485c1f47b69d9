from testimony_app.app import main

raise SystemExit(main())
