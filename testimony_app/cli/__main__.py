if __name__ == "__main__":
    from testimony_app.cli import main

    raise SystemExit(main())
