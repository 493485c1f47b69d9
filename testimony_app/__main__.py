import multiprocessing

if __name__ == "__main__":
    # A frozen app (PyInstaller) is also the program its helper processes run: this hands
    # them to multiprocessing instead of starting a second window.
    multiprocessing.freeze_support()
    from testimony_app.app import main

    raise SystemExit(main())
