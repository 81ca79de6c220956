"""Speed, memory and quality measurements, run by ``make bench`` (never by the tests)."""
