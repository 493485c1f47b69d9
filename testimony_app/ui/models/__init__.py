"""Item models over plain values from the services (never over live rows)."""
